package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.PruningSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which level follows a ticket: IMP until its levels or target, a one-shot strategy never past level 1. */
class LevelContinuationTest {

    private static TicketReport ticket(int level, long prunable, long remaining) {
        return new TicketReport(level, null, null, null, prunable, remaining, prunable + 10, remaining + 10, Map.of(),
                List.of(), Map.of());
    }

    private static PruningSpec pruning(String strategy, Double target, List<String> ignore) {
        return new PruningSpec("global", 0.2, 3, Map.of(), ignore, target, null, strategy).withDefaults();
    }

    @Test
    void impRunsItsLevelsOrUntilItsTarget() {
        assertThat(WorkerService.continues(pruning("imp", null, List.of()), 2, ticket(2, 1000, 640))).isTrue();
        assertThat(WorkerService.continues(pruning("imp", null, List.of()), 3, ticket(3, 1000, 512))).isFalse();
        assertThat(WorkerService.continues(pruning("imp", 0.8, List.of()), 5, ticket(5, 1000, 328))).isTrue();
        assertThat(WorkerService.continues(pruning("imp", 0.8, List.of()), 8, ticket(8, 1000, 200))).isFalse();
    }

    @Test
    void aOneShotStrategyEndsWithLevelOneEvenWhenIgnoredTensorsKeepItAboveTheCount() {
        for (String strategy : PruningSpec.ONE_SHOT) {
            PruningSpec oneShot = pruning(strategy, 0.9, List.of("fc3.weight"));
            assertThat(WorkerService.continues(oneShot, 0, ticket(0, 1000, 1000))).as(strategy).isTrue();
            // the 100 ignored weights stay: 190 > floor(0.1 x 1000), and still nothing follows
            assertThat(WorkerService.continues(oneShot, 1, ticket(1, 1000, 190))).as(strategy).isFalse();
        }
    }
}
