package io.ticketfoundry.worker.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer carries from one step to the next, by reference parameter name:
 * {@code updates} is the number of updates made so far (Adam's bias correction and any
 * learning-rate tracker read it), {@code slots} holds the per-parameter state tensors
 * ({@value StatefulOptimizer#MOMENTUM} for SGD with momentum; {@value StatefulOptimizer#ADAM_MEAN}
 * and {@value StatefulOptimizer#ADAM_VARIANCE} for Adam), flat, row-major, float32.
 */
public record OptimizerState(String optimizer, int updates, Map<String, Map<String, float[]>> slots) {

    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        if (updates < 0) {
            throw new IllegalArgumentException("updates must be >= 0, is " + updates);
        }
        Map<String, Map<String, float[]>> copy = new LinkedHashMap<>();
        slots.forEach((slot, values) -> copy.put(slot, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        slots = Collections.unmodifiableMap(copy);
    }

    public float[] values(String slot, String parameter) {
        Map<String, float[]> bySlot = slots.get(slot);
        return bySlot == null ? null : bySlot.get(parameter);
    }
}
