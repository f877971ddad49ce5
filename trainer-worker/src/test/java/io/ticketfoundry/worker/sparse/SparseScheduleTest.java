package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.spec.SparseTrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparseScheduleTest {

    private static SparseTrainingSpec spec(String method, String schedule) {
        return new SparseTrainingSpec(method, 0.9, null, null, null, null, schedule, null, null, null, null).withDefaults(10);
    }

    @Test
    void updatesEveryIntervalUntilTheEndStep() {
        SparseSchedule schedule = new SparseSchedule(spec("rigl", null), 1000);
        assertThat(schedule.endStep()).isEqualTo(750);
        List<Long> updates = new ArrayList<>();
        for (long t = 0; t <= 1000; t++) {
            if (schedule.isUpdate(t)) {
                updates.add(t);
            }
        }
        assertThat(updates).hasSize(7).startsWith(100L, 200L).endsWith(700L);
        assertThat(schedule.updateCount()).isEqualTo(7);
        assertThat(new SparseSchedule(spec("rigl", null), 1001).endStep()).as("floor(750.75)").isEqualTo(750);
        assertThat(new SparseSchedule(spec("rigl", null), 800).isUpdate(600)).isTrue();
        assertThat(new SparseSchedule(spec("static", null), 1000).isUpdate(100)).isFalse();
    }

    @Test
    void theCosineScheduleDecaysFromTheInitialFractionToZeroAtTheEnd() {
        SparseSchedule cosine = new SparseSchedule(spec("set", "cosine"), 1000);
        assertThat(cosine.dropFraction(0)).isCloseTo(0.3, within(1e-15));
        assertThat(cosine.dropFraction(375)).isCloseTo(0.15, within(1e-15));
        assertThat(cosine.dropFraction(250)).isCloseTo(0.3 * 0.5 * (1 + Math.cos(Math.PI / 3)), within(1e-15))
                .isCloseTo(0.225, within(1e-12));
        assertThat(cosine.dropFraction(750)).isCloseTo(0.0, within(1e-15));
        assertThat(cosine.dropFraction(900)).as("held at the end").isCloseTo(0.0, within(1e-15));
        SparseSchedule constant = new SparseSchedule(spec("rigl", "constant"), 1000);
        assertThat(constant.dropFraction(100)).isEqualTo(0.3);
        assertThat(constant.dropFraction(700)).isEqualTo(0.3);
        assertThat(SparseSchedule.dropCount(26_620, 0.3)).isEqualTo(7986);
        assertThat(SparseSchedule.dropCount(10, 0.29)).isEqualTo(2);
    }
}
