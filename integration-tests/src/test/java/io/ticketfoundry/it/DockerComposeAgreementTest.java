package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.artifact.S3ArtifactStore;
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
import software.amazon.awssdk.services.s3.S3Client;

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
            "TF_DB_PASSWORD", "secret-from-shell",
            "TF_S3_SECRET_KEY", "s3-secret-from-shell");

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
    void runsPostgresMinioTheApiAndAWorkerFromTheProjectsDockerfiles() {
        assertThat(services).containsOnlyKeys("postgres", "minio", "ticket-api", "trainer-worker");
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

        FoundryProperties.S3 s3 = properties.artifacts().s3();
        assertThat(properties.artifacts().store()).isEqualTo(FoundryProperties.Store.S3);
        assertThat(s3.endpoint()).isEqualTo(URI.create(env.get("TF_ARTIFACTS_S3_ENDPOINT")));
        assertThat(s3.region()).isEqualTo(env.get("TF_ARTIFACTS_S3_REGION"));
        assertThat(s3.bucket()).isEqualTo(env.get("TF_ARTIFACTS_S3_BUCKET")).isNotBlank();
        assertThat(s3.accessKey()).isEqualTo(env.get("TF_ARTIFACTS_S3_ACCESS_KEY")).isNotBlank();
        assertThat(s3.secretKey()).isEqualTo("s3-secret-from-shell");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.createBucket()).isTrue();
        assertThat(s3.prefix()).isEmpty();

        Set<String> understood = Set.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                "TF_DATA_DIR", "TF_BOOTSTRAP_TOKEN", "TF_BOOTSTRAP_WORKER_TOKEN", "TF_ARTIFACTS_STORE",
                "TF_ARTIFACTS_S3_ENDPOINT", "TF_ARTIFACTS_S3_REGION", "TF_ARTIFACTS_S3_BUCKET", "TF_ARTIFACTS_S3_ACCESS_KEY",
                "TF_ARTIFACTS_S3_SECRET_KEY", "TF_ARTIFACTS_S3_PATH_STYLE", "TF_ARTIFACTS_S3_CREATE_BUCKET");
        assertThat(env.keySet()).isSubsetOf(understood);
    }

    @Test
    void theApiStoresArtifactsInTheMinioComposeRunsWithItsCredentials() {
        Map<String, String> minio = environment("minio");
        FoundryProperties.S3 s3 = Binder.get(environmentWith(environment("ticket-api")))
                .bind("tf", FoundryProperties.class).get().artifacts().s3();
        assertThat(String.valueOf(service("minio").get("image"))).startsWith("minio/minio:");
        List<String> command = ((List<?>) service("minio").get("command")).stream().map(String::valueOf).toList();
        assertThat(command).startsWith("server");
        String address = command.get(command.indexOf("--address") + 1);
        assertThat(s3.endpoint().getHost()).isEqualTo("minio");
        assertThat(":" + s3.endpoint().getPort()).isEqualTo(address);
        assertThat(s3.accessKey()).isEqualTo(minio.get("MINIO_ROOT_USER"));
        assertThat(s3.secretKey()).isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
        assertThat(minio.get("MINIO_ROOT_PASSWORD")).as("MinIO refuses shorter passwords").hasSizeGreaterThanOrEqualTo(8);
        assertThat(((List<?>) service("minio").get("volumes")).stream().map(String::valueOf))
                .anySatisfy(volume -> assertThat(volume).endsWith(":" + command.get(1)));
        // nothing else creates the bucket, and "minio" as a host name only works path-style
        assertThat(s3.createBucket()).isTrue();
        assertThat(s3.pathStyle()).isTrue();
        try (S3Client client = S3ArtifactStore.clientBuilder(s3).build()) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).hasValue(s3.endpoint());
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo(s3.region());
        }

        assertThat(String.join(" ", healthcheck("minio"))).contains("mc ready local");
        assertThat(map(map(service("ticket-api").get("depends_on")).get("minio")).get("condition"))
                .isEqualTo("service_healthy");
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
        // named as Spring names the real one, so that it maps TF_ARTIFACTS_S3_BUCKET to tf.artifacts.s3.bucket as
        // the application does (another name binds only leaf values whose parent object is bound from elsewhere)
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("compose-"
                + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env)));
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

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::?([-?])([^}]*))?}");

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
        assertThat(out.toString()).as("every variable of " + value + " is interpolated").doesNotContain("${");
        return out.toString();
    }

}
