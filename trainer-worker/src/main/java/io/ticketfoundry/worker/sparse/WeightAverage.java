package io.ticketfoundry.worker.sparse;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CigL's average of epoch-end weights: every parameter averaged with equal weight over the epochs
 * added, as the reference's {@code moving_average(swa, model, 1 / (k + 1))}
 * ({@code mean ← mean·(1 − α) + w·α}, α = 1/(k+1) for the (k+1)-th model, in float32), and the
 * union of their masks, the support of the average (weights outside a mask are exactly zero, so
 * the average is zero outside the union). BatchNorm statistics are not averaged: they are
 * re-estimated for the averaged network.
 */
public final class WeightAverage {

    private final ModelDefinition model;
    private final Map<String, float[]> mean;
    private final Map<String, byte[]> support;
    private int count;

    /** Nothing averaged yet. */
    public WeightAverage(ModelDefinition model) {
        this(model, null, null, 0);
    }

    /** Continues an average of {@code count} models (a resumed run's), with its mean and support. */
    public WeightAverage(ModelDefinition model, Map<String, float[]> mean, Mask support, int count) {
        this.model = model;
        this.count = count;
        this.mean = new LinkedHashMap<>();
        this.support = new LinkedHashMap<>();
        if (count > 0) {
            for (ParameterSpec p : model.parameters()) {
                this.mean.put(p.name(), mean.get(p.name()).clone());
            }
            for (ParameterSpec p : model.prunableParameters()) {
                this.support.put(p.name(), support.values(p.name()));
            }
        }
    }

    public void add(Weights weights, Mask mask) {
        float alpha = (float) (1.0 / (count + 1));
        float keep = 1f - alpha;
        for (ParameterSpec p : model.parameters()) {
            float[] w = weights.values(p.name());
            float[] m = mean.get(p.name());
            if (m == null) {
                mean.put(p.name(), w.clone());
                continue;
            }
            for (int i = 0; i < m.length; i++) {
                m[i] = m[i] * keep + w[i] * alpha;
            }
        }
        for (ParameterSpec p : model.prunableParameters()) {
            byte[] kept = mask.values(p.name());
            byte[] union = support.get(p.name());
            if (union == null) {
                support.put(p.name(), kept);
                continue;
            }
            for (int i = 0; i < union.length; i++) {
                union[i] = (byte) (union[i] | kept[i]);
            }
        }
        count++;
    }

    public int count() {
        return count;
    }

    /** The mean of every parameter (copies), by reference name. */
    public Map<String, float[]> mean() {
        Map<String, float[]> out = new LinkedHashMap<>();
        mean.forEach((name, values) -> out.put(name, values.clone()));
        return out;
    }

    /** The union of the averaged masks. */
    public Mask support() {
        requireSome();
        return Mask.of(model, support);
    }

    /**
     * The averaged network: the mean parameters with the buffers of {@code buffersFrom} (to be
     * re-estimated), on the union of the masks, or, with {@code keptCounts}, on the
     * {@code keptCounts[tensor]} largest-magnitude weights of each sparse tensor within that union
     * (the target density re-imposed by magnitude; the others set to zero).
     */
    public Averaged result(Weights buffersFrom, Map<String, Long> keptCounts) {
        requireSome();
        Weights averaged = buffersFrom.copy();
        for (ParameterSpec p : model.parameters()) {
            float[] target = averaged.values(p.name());
            System.arraycopy(mean.get(p.name()), 0, target, 0, target.length);
        }
        Mask union = support();
        if (keptCounts == null) {
            return new Averaged(averaged, union, union);
        }
        Map<String, byte[]> reimposed = new LinkedHashMap<>();
        for (ParameterSpec p : model.prunableParameters()) {
            Long keep = keptCounts.get(p.name());
            byte[] values = keep == null ? union.values(p.name())
                    : MaskUpdate.keepLargest(averaged.values(p.name()), union.values(p.name()), keep);
            float[] w = averaged.values(p.name());
            for (int i = 0; i < w.length; i++) {
                if (values[i] == 0) {
                    w[i] = 0f;
                }
            }
            reimposed.put(p.name(), values);
        }
        return new Averaged(averaged, Mask.of(model, reimposed), union);
    }

    /** The averaged weights, the ticket's mask, and the union of the averaged masks. */
    public record Averaged(Weights weights, Mask mask, Mask union) {
    }

    private void requireSome() {
        if (count == 0) {
            throw new IllegalStateException("no epoch was averaged");
        }
    }

    /** The names of the parameters averaged, in order. */
    public List<String> names() {
        return model.parameters().stream().map(ParameterSpec::name).toList();
    }
}
