package io.ticketfoundry.worker.train;

import ai.djl.training.tracker.Tracker;
import io.ticketfoundry.common.spec.LearningRateSchedule;

/**
 * A DJL learning-rate tracker for a {@link LearningRateSchedule}. DJL counts a fresh optimizer's
 * updates from 1; the schedule counts steps from the initialisation, so a run that starts at step
 * {@code startStep} (a level retrained from a late rewind point) asks for step
 * {@code startStep + numUpdate − 1}.
 */
public final class ScheduledLearningRate implements Tracker {

    private final double baseRate;
    private final LearningRateSchedule schedule;
    private final long iterationsPerEpoch;
    private final long totalSteps;
    private final long startStep;

    public ScheduledLearningRate(double baseRate, LearningRateSchedule schedule, long iterationsPerEpoch,
            long totalSteps, long startStep) {
        this.baseRate = baseRate;
        this.schedule = schedule.withDefaults();
        this.iterationsPerEpoch = iterationsPerEpoch;
        this.totalSteps = totalSteps;
        this.startStep = startStep;
    }

    /** The learning rate of the update taken at step {@code step} (0-based, from the initialisation). */
    public double at(long step) {
        return baseRate * schedule.factor(step, iterationsPerEpoch, totalSteps);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) at(startStep + Math.max(numUpdate, 1) - 1L);
    }
}
