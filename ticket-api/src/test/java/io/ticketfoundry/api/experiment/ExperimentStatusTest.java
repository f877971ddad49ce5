package io.ticketfoundry.api.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentStatusTest {

    @Test
    void statusIsDerivedFromJobCounts() {
        assertThat(ExperimentStatus.of(Map.of())).isEqualTo("queued");
        assertThat(ExperimentStatus.of(Map.of("queued", 2L))).isEqualTo("queued");
        assertThat(ExperimentStatus.of(Map.of("queued", 1L, "leased", 1L))).isEqualTo("running");
        assertThat(ExperimentStatus.of(Map.of("queued", 1L, "succeeded", 3L))).isEqualTo("running");
        assertThat(ExperimentStatus.of(Map.of("queued", 1L, "failed", 1L))).isEqualTo("running");
        assertThat(ExperimentStatus.of(Map.of("failed", 1L, "succeeded", 4L, "cancelled", 1L))).isEqualTo("failed");
        assertThat(ExperimentStatus.of(Map.of("cancelled", 1L, "succeeded", 4L))).isEqualTo("cancelled");
        assertThat(ExperimentStatus.of(Map.of("succeeded", 4L))).isEqualTo("succeeded");
    }

    @Test
    void countsNameEveryStatus() {
        assertThat(ExperimentStatus.counts(Map.of("leased", 2L)))
                .containsExactly(Map.entry("queued", 0L), Map.entry("leased", 2L), Map.entry("succeeded", 0L),
                        Map.entry("failed", 0L), Map.entry("cancelled", 0L));
    }
}
