package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.spec.LearningRateSchedule;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledLearningRateTest {

    private static final long PER_EPOCH = 391; // CIFAR-10 at batch 128
    private static final long TOTAL = 160 * PER_EPOCH;

    private static ScheduledLearningRate rate(LearningRateSchedule schedule, long startStep) {
        return new ScheduledLearningRate(0.1, schedule, PER_EPOCH, TOTAL, startStep);
    }

    @Test
    void constantIsTheDefault() {
        ScheduledLearningRate rate = rate(LearningRateSchedule.defaults(), 0);
        assertThat(rate.at(0)).isEqualTo(0.1);
        assertThat(rate.at(TOTAL - 1)).isEqualTo(0.1);
    }

    @Test
    void stepMilestonesMultiplyByGammaFromTheMilestoneOn() {
        ScheduledLearningRate rate = rate(new LearningRateSchedule("step", List.of(80, 120), 0.1, "epochs", 0, "iterations"), 0);
        assertThat(rate.at(0)).isEqualTo(0.1);
        assertThat(rate.at(80 * PER_EPOCH - 1)).isEqualTo(0.1);
        assertThat(rate.at(80 * PER_EPOCH)).isCloseTo(0.01, within(1e-12));
        assertThat(rate.at(120 * PER_EPOCH - 1)).isCloseTo(0.01, within(1e-12));
        assertThat(rate.at(120 * PER_EPOCH)).isCloseTo(0.001, within(1e-12));
        assertThat(rate.at(TOTAL - 1)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void milestonesInIterations() {
        ScheduledLearningRate rate = rate(new LearningRateSchedule("step", List.of(100), 0.5, "iterations", 0, "iterations"), 0);
        assertThat(rate.at(99)).isEqualTo(0.1);
        assertThat(rate.at(100)).isEqualTo(0.05);
    }

    @Test
    void linearWarmupAsOpenLth() {
        ScheduledLearningRate rate = rate(new LearningRateSchedule("constant", List.of(), 0.1, "epochs", 10, "iterations"), 0);
        assertThat(rate.at(0)).isEqualTo(0.0);
        assertThat(rate.at(5)).isCloseTo(0.05, within(1e-12));
        assertThat(rate.at(10)).isEqualTo(0.1);
        ScheduledLearningRate epochs = rate(new LearningRateSchedule("constant", List.of(), 0.1, "epochs", 1, "epochs"), 0);
        assertThat(epochs.at(PER_EPOCH / 2)).isCloseTo(0.1 * (PER_EPOCH / 2) / PER_EPOCH, within(1e-12));
        assertThat(epochs.at(PER_EPOCH)).isEqualTo(0.1);
    }

    @Test
    void cosineFallsFromTheBaseToZeroOverTheRun() {
        ScheduledLearningRate rate = rate(new LearningRateSchedule("cosine", List.of(), 0.1, "epochs", 0, "iterations"), 0);
        assertThat(rate.at(0)).isCloseTo(0.1, within(1e-12));
        assertThat(rate.at(TOTAL / 2)).isCloseTo(0.05, within(1e-12));
        assertThat(rate.at(TOTAL)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void djlUpdatesCountFromOneAndARunFromALateStepResumesTheSchedule() {
        LearningRateSchedule step = new LearningRateSchedule("step", List.of(2), 0.1, "epochs", 0, "iterations");
        ScheduledLearningRate fresh = rate(step, 0);
        assertThat(fresh.getNewValue(1)).isEqualTo((float) fresh.at(0));
        ScheduledLearningRate late = rate(step, 2 * PER_EPOCH - 1);
        assertThat(late.getNewValue(1)).isEqualTo(0.1f);
        assertThat(late.getNewValue(2)).isEqualTo((float) 0.01);
    }

    @Test
    void nesterovAndAdamWBuildTheirOwnUpdateRules() {
        TrainingSpec nesterov = new TrainingSpec("sgd", 0.1, 0.9, 1e-4, 128, 1, true, null);
        assertThat(OptimizerFactory.create(nesterov, 10, 10, 0).kind()).isEqualTo("sgd");
        TrainingSpec adamw = new TrainingSpec("adamw", 1e-3, 0.0, 0.01, 128, 1, null, null);
        assertThat(OptimizerFactory.create(adamw, 10, 10, 0).kind()).isEqualTo("adamw");
    }
}
