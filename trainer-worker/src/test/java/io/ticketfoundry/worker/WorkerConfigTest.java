package io.ticketfoundry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    @Test
    void readsEverySettingFromTheEnvironment() {
        WorkerConfig config = WorkerConfig.fromEnvironment(Map.of(
                "TF_API_URL", "http://ticket-api:8080",
                "TF_WORKER_TOKEN", " tf_worker ",
                "TF_WORKER_ID", "gpu-7",
                "TF_DATASET_ROOT", "/datasets",
                "TF_WORK_DIR", "/var/lib/trainer-worker",
                "TF_POLL_INTERVAL_SECONDS", "0.5"));
        assertThat(config.apiUrl()).isEqualTo(URI.create("http://ticket-api:8080/"));
        assertThat(config.token()).isEqualTo("tf_worker");
        assertThat(config.workerId()).isEqualTo("gpu-7");
        assertThat(config.datasetRoot()).isEqualTo(Path.of("/datasets"));
        assertThat(config.workDir()).isEqualTo(Path.of("/var/lib/trainer-worker"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void defaultsPointAtALocalApiAndDebiansDatasets() {
        WorkerConfig config = WorkerConfig.fromEnvironment(Map.of("TF_WORKER_TOKEN", "tf_worker"));
        assertThat(config.apiUrl()).isEqualTo(URI.create("http://localhost:8080/"));
        assertThat(config.datasetRoot()).isEqualTo(Path.of("/usr/share/datasets"));
        assertThat(config.workerId()).isNotBlank();
    }

    @Test
    void aMissingTokenIsAClearError() {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TF_WORKER_TOKEN");
    }
}
