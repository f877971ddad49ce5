package io.ticketfoundry.worker.lottery;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Where and with what a level ran: software versions, device, threads. */
public final class Provenance {

    static final String DEV_VERSION = "dev";

    private Provenance() {
    }

    public static Map<String, String> environment(String workerId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("workerId", workerId);
        values.put("platformVersion", platformVersion());
        Engine engine = Engine.getInstance();
        values.put("djlVersion", Engine.getDjlVersion());
        values.put("engine", engine.getEngineName());
        values.put("engineVersion", engine.getVersion());
        if ("PyTorch".equals(engine.getEngineName())) {
            values.put("pytorchVersion", engine.getVersion());
            values.put("threads", String.valueOf(JniUtils.getNumThreads()));
            values.put("interopThreads", String.valueOf(JniUtils.getNumInteropThreads()));
        }
        values.put("device", engine.defaultDevice().toString());
        values.put("javaVersion", System.getProperty("java.version"));
        values.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return values;
    }

    /**
     * The jar manifest's Implementation-Version, else {@code version} from the generated
     * {@code ticket-foundry-version.properties}, else {@value #DEV_VERSION}.
     */
    static String platformVersion() {
        String version = Provenance.class.getPackage().getImplementationVersion();
        if (version != null && !version.isBlank()) {
            return version;
        }
        try (InputStream in = Provenance.class.getResourceAsStream("/ticket-foundry-version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String fromResource = properties.getProperty("version");
                if (fromResource != null && !fromResource.isBlank() && !fromResource.startsWith("@")) {
                    return fromResource;
                }
            }
        } catch (IOException ignored) {
            // fall through to the development marker
        }
        return DEV_VERSION;
    }
}
