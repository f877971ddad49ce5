package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.worker.WorkerConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine on the build machines, so docker-compose.yml is never run here. This
 * test checks instead that it agrees with what the applications actually read: every environment
 * variable binds to a setting of the service it is given to, service names and ports line up, and
 * the health checks ask what the applications answer.
 */
class DockerComposeAgreementTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> SHELL = Map.of(
            "TF_BOOTSTRAP_TOKEN", "tf_admin_from_shell",
            "TF_WORKER_TOKEN", "tf_worker_from_shell",
            "TF_DB_PASSWORD", "secret-from-shell");

    private static Map<String, Object> services;
    private static StandardEnvironment applicationDefaults;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Object>) compose.get("services");
        }
        applicationDefaults = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(source -> applicationDefaults.getPropertySources().addLast(source));
    }

    @Test
    void runsPostgresTheApiAndAWorkerFromTheProjectsDockerfiles() {
        assertThat(services).containsOnlyKeys("postgres", "ticket-api", "trainer-worker");
        for (String service : List.of("ticket-api", "trainer-worker")) {
            Map<String, Object> build = map(service(service).get("build"));
            Path dockerfile = ROOT.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile")));
            assertThat(dockerfile).exists();
        }
    }

    @Test
    void everyApiVariableBindsToASettingOfTicketApi() {
        Map<String, String> env = environment("ticket-api");
        StandardEnvironment environment = environmentWith(env);
        Binder binder = Binder.get(environment);
        FoundryProperties properties = binder.bind("tf", FoundryProperties.class).get();

        assertThat(properties.bootstrapToken()).isEqualTo("tf_admin_from_shell");
        assertThat(properties.bootstrapWorkerToken()).isEqualTo("tf_worker_from_shell");
        assertThat(properties.dataDir()).isEqualTo(Path.of("/var/lib/ticket-foundry"));
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://postgres:5432/ticketfoundry");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("ticketfoundry");
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("secret-from-shell");

        Set<String> understood = Set.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                "TF_DATA_DIR", "TF_BOOTSTRAP_TOKEN", "TF_BOOTSTRAP_WORKER_TOKEN");
        assertThat(env.keySet()).isSubsetOf(understood);
    }

    @Test
    void theDatabaseTheApiIsGivenIsTheOnePostgresCreates() {
        Map<String, String> postgres = environment("postgres");
        Map<String, String> api = environment("ticket-api");
        URI jdbc = URI.create(api.get("SPRING_DATASOURCE_URL").substring("jdbc:".length()));
        assertThat(jdbc.getHost()).isEqualTo("postgres");
        assertThat(jdbc.getPort()).isEqualTo(5432);
        assertThat(jdbc.getPath()).isEqualTo("/" + postgres.get("POSTGRES_DB"));
        assertThat(api.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(api.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(String.valueOf(service("postgres").get("image"))).startsWith("postgres:15");
    }

    @Test
    void portsAndHealthChecksMatchWhatTheApiServes() throws IOException {
        int serverPort = Integer.parseInt(applicationDefaults.resolvePlaceholders(
                applicationDefaults.getProperty("server.port", "8080")));
        List<?> ports = (List<?>) service("ticket-api").get("ports");
        assertThat(ports).hasSize(1);
        assertThat(String.valueOf(ports.get(0))).endsWith(":" + serverPort);

        assertThat(applicationDefaults.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        String healthcheck = String.join(" ", healthcheck("ticket-api"));
        assertThat(healthcheck).contains("http://localhost:" + serverPort + "/actuator/health/readiness");
        String dockerfile = Files.readString(ROOT.resolve("ticket-api/Dockerfile"));
        assertThat(dockerfile).contains("EXPOSE " + serverPort).contains("/actuator/health/readiness");

        assertThat(String.join(" ", healthcheck("postgres"))).contains("pg_isready");
        assertThat(map(map(service("ticket-api").get("depends_on")).get("postgres")).get("condition"))
                .isEqualTo("service_healthy");
        assertThat(map(map(service("trainer-worker").get("depends_on")).get("ticket-api")).get("condition"))
                .isEqualTo("service_healthy");
    }

    @Test
    void theWorkerReadsEveryVariableItIsGivenAndFindsTheApiAndItsToken() {
        Map<String, String> env = environment("trainer-worker");
        Set<String> understood = Set.of(WorkerConfig.API_URL, WorkerConfig.WORKER_TOKEN, WorkerConfig.WORKER_ID,
                WorkerConfig.DATASET_ROOT, WorkerConfig.WORK_DIR, WorkerConfig.POLL_INTERVAL_SECONDS);
        assertThat(env.keySet()).isSubsetOf(understood);

        WorkerConfig config = WorkerConfig.fromEnvironment(env);
        int serverPort = Integer.parseInt(applicationDefaults.resolvePlaceholders(
                applicationDefaults.getProperty("server.port", "8080")));
        assertThat(config.apiUrl().getHost()).isEqualTo("ticket-api");
        assertThat(config.apiUrl().getPort()).isEqualTo(serverPort);
        assertThat(config.token()).isEqualTo(environment("ticket-api").get("TF_BOOTSTRAP_WORKER_TOKEN"));

        List<?> volumes = (List<?>) service("trainer-worker").get("volumes");
        assertThat(volumes).anySatisfy(volume -> assertThat(String.valueOf(volume)).endsWith(":" + config.datasetRoot() + ":ro"));
        assertThat(String.join(" ", healthcheck("trainer-worker"))).contains(config.workDir().resolve("alive").toString());
    }

    @Test
    void dockerfilesCopyTheJarsTheBuildMakes() throws IOException {
        assertThat(Files.readString(ROOT.resolve("ticket-api/Dockerfile"))).contains("ticket-api/target/ticket-api-*-exec.jar");
        assertThat(Files.readString(ROOT.resolve("trainer-worker/Dockerfile"))).contains("trainer-worker/target/trainer-worker-*-exec.jar");
        assertThat(Files.readString(ROOT.resolve("ticket-api/pom.xml"))).contains("<classifier>exec</classifier>");
        assertThat(Files.readString(ROOT.resolve("trainer-worker/pom.xml"))).contains("<classifier>exec</classifier>");
    }

    private static StandardEnvironment environmentWith(Map<String, String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("compose", new HashMap<>(env)));
        applicationDefaults.getPropertySources().forEach(source -> environment.getPropertySources().addLast(source));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<String> healthcheck(String service) {
        Object test = map(service(service).get("healthcheck")).get("test");
        return ((List<?>) test).stream().map(String::valueOf).toList();
    }

    /** The service's environment after compose's variable interpolation with {@link #SHELL} as the shell. */
    private static Map<String, String> environment(String service) {
        Map<String, String> resolved = new HashMap<>();
        map(service(service).get("environment")).forEach((key, value) -> resolved.put(key, interpolate(String.valueOf(value))));
        return resolved;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::?([-?])([^}]*))?}");

    private static String interpolate(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String fromShell = SHELL.get(matcher.group(1));
            String replacement;
            if (fromShell != null) {
                replacement = fromShell;
            } else if ("-".equals(matcher.group(2))) {
                replacement = matcher.group(3);
            } else {
                throw new AssertionError("compose needs " + matcher.group(1) + " and the test gives none");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

}
