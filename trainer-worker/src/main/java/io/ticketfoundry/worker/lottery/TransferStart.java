package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.model.Initializers;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.ControlMasks;
import io.ticketfoundry.worker.prune.Mask;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a transferred ticket starts on a target dataset (Morcos et al.): the source ticket's mask
 * and rewind weights, moved onto the same architecture built for the target's number of classes.
 *
 * <ul>
 *   <li>Every tensor but the output layer ({@link ModelDefinition#outputLayer()}) keeps the source's
 *       rewind values and mask entries unchanged; they must have the same shapes on both models.
 *   <li>When the class count is the same, the output layer also keeps its rewind values and mask.
 *   <li>When it differs, the output layer's weight and bias are re-initialised with the run's
 *       initializer from a seed derived from the run seed (purpose {@code transfer-output}), and
 *       the output weight is kept dense (mask all ones): the source has no mask for the new shape.
 * </ul>
 *
 * {@link #weights()} are the rewind point on the target, values at pruned positions included (so a
 * random baseline can take other positions from it); {@link #startWeights()} is that point under
 * the mask, pruned weights exactly zero, as a lottery level starts. BatchNorm buffers are carried
 * over from the rewind weights.
 *
 * <p>The random baseline ({@link #randomBaseline}) keeps the same start weights and every layer's
 * number of survivors, with the positions shuffled within each tensor (the layer-permuted control),
 * seeded; a dense re-initialised output layer stays dense.
 */
public record TransferStart(Mask mask, Weights weights, boolean outputLayerReinitialized) {

    /**
     * Moves a source ticket onto {@code target}.
     *
     * @param sourceMask the source ticket's mask, on the source model
     * @param sourceRewind the source ticket's rewind weights, on the source model
     * @param target the same architecture, built for the target dataset's number of classes
     * @param initializer the spec's initializer name (null = the model's default), for a re-initialised output layer
     * @param seed the run seed the output layer's seed is derived from
     */
    public static TransferStart of(Mask sourceMask, Weights sourceRewind, ModelDefinition target, String initializer,
            long seed) {
        ModelDefinition source = sourceMask.model();
        if (!source.name().equals(target.name())) {
            throw new IllegalArgumentException("a ticket of " + source.name() + " cannot be transferred to a "
                    + target.name());
        }
        if (!source.sampleShape().equals(target.sampleShape())) {
            throw new IllegalArgumentException("the source's input shape " + source.sampleShape()
                    + " differs from the target's " + target.sampleShape());
        }
        if (!sourceRewind.specs().equals(source.parameters())) {
            throw new IllegalArgumentException("the rewind weights do not belong to the mask's model " + source.name());
        }
        ModelDefinition.OutputLayer output = target.outputLayer();
        boolean reinit = source.numClasses() != target.numClasses();
        for (ParameterSpec p : target.parameters()) {
            if (reinit && (p.name().equals(output.weight()) || p.name().equals(output.bias()))) {
                continue;
            }
            long[] sourceShape = source.parameter(p.name()).shape();
            if (!Arrays.equals(sourceShape, p.shape())) {
                throw new IllegalArgumentException(p.name() + " has shape " + Arrays.toString(sourceShape)
                        + " on the source and " + Arrays.toString(p.shape()) + " on the target");
            }
        }

        Map<String, float[]> floats = new LinkedHashMap<>();
        sourceRewind.asMap().forEach((name, values) -> floats.put(name, values.clone()));
        Map<String, long[]> longs = new LinkedHashMap<>();
        sourceRewind.longsAsMap().forEach((name, values) -> longs.put(name, values.clone()));
        Map<String, byte[]> maskValues = new LinkedHashMap<>();
        for (String name : sourceMask.names()) {
            maskValues.put(name, sourceMask.values(name));
        }
        if (reinit) {
            Weights fresh = Initializers.create(initializer, target, outputSeed(seed));
            floats.put(output.weight(), fresh.values(output.weight()).clone());
            floats.put(output.bias(), fresh.values(output.bias()).clone());
            if (target.parameter(output.weight()).prunable()) {
                byte[] ones = new byte[target.parameter(output.weight()).size()];
                Arrays.fill(ones, (byte) 1);
                maskValues.put(output.weight(), ones);
            }
        }
        return new TransferStart(Mask.of(target, maskValues), Weights.of(target, floats, longs), reinit);
    }

    /** The weights training starts from: {@link #weights()} reset under {@link #mask()} ({@link Rewinding#resetTo}). */
    public Weights startWeights() {
        return Rewinding.resetTo(weights, mask);
    }

    /** The seed a re-initialised output layer is drawn from. */
    public static long outputSeed(long seed) {
        return Seeds.derive(seed, "transfer-output");
    }

    /**
     * The random ticket compared against a transferred one: the same start weights and per-layer
     * densities, surviving positions shuffled within each tensor (seeded by run seed and level).
     */
    public TransferStart randomBaseline(long seed, int level) {
        Mask shuffled = ControlMasks.layerPermuted(mask, Seeds.derive(seed, "transfer-random"), level);
        return new TransferStart(shuffled, weights.copy(), outputLayerReinitialized);
    }
}
