package io.ticketfoundry.worker.prune;

import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The masks of the controls an IMP ticket is measured against, built from the ticket's mask:
 *
 * <ul>
 *   <li>{@code reinit}: the same mask (the control's weights are new, see the level runner).
 *   <li>{@code layer-permuted}: each tensor's mask shuffled within the tensor, so every layer keeps
 *       exactly its number of surviving weights (Morcos et al.'s "locally permuted").
 *   <li>{@code global-permuted}: the surviving positions shuffled across all tensors that are not
 *       ignored, so the total number of survivors is exactly kept while per-layer densities are
 *       not (Morcos et al.'s random ticket); ignored tensors stay as they are (dense).
 * </ul>
 *
 * Shuffles are Fisher–Yates with {@link java.util.Random} (its algorithm is fixed by its
 * specification), seeded from (seed, control, level[, tensor]), so a control is bit-identical on
 * every worker.
 */
public final class ControlMasks {

    private ControlMasks() {
    }

    public static Mask build(String control, Mask ticket, List<String> ignore, long seed, int level) {
        return switch (control) {
            case ExperimentSpec.CONTROL_REINIT -> ticket;
            case ExperimentSpec.CONTROL_LAYER_PERMUTED -> layerPermuted(ticket, seed, level);
            case ExperimentSpec.CONTROL_GLOBAL_PERMUTED -> globalPermuted(ticket, ignore, seed, level);
            default -> throw new IllegalArgumentException("unknown control \"" + control + "\"; expected one of "
                    + ExperimentSpec.CONTROLS);
        };
    }

    public static Mask layerPermuted(Mask ticket, long seed, int level) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : ticket.model().prunableParameters()) {
            byte[] values = ticket.values(p.name());
            shuffle(values, new Random(Seeds.derive(seed, "control-layer-permuted", level, p.name().hashCode())));
            out.put(p.name(), values);
        }
        return Mask.of(ticket.model(), out);
    }

    public static Mask globalPermuted(Mask ticket, List<String> ignore, long seed, int level) {
        List<ParameterSpec> pooled = ticket.model().prunableParameters().stream()
                .filter(p -> !ignore.contains(p.name())).toList();
        int total = pooled.stream().mapToInt(ParameterSpec::size).sum();
        byte[] all = new byte[total];
        int offset = 0;
        for (ParameterSpec p : pooled) {
            byte[] values = ticket.values(p.name());
            System.arraycopy(values, 0, all, offset, values.length);
            offset += values.length;
        }
        shuffle(all, new Random(Seeds.derive(seed, "control-global-permuted", level)));
        Map<String, byte[]> out = new LinkedHashMap<>();
        offset = 0;
        for (ParameterSpec p : ticket.model().prunableParameters()) {
            if (ignore.contains(p.name())) {
                out.put(p.name(), ticket.values(p.name()));
            } else {
                byte[] values = new byte[p.size()];
                System.arraycopy(all, offset, values, 0, values.length);
                offset += values.length;
                out.put(p.name(), values);
            }
        }
        return Mask.of(ticket.model(), out);
    }

    /** The seed of a control's new random weights. */
    public static long weightSeed(String control, long seed, int level) {
        return Seeds.derive(seed, "control-" + control, level);
    }

    private static void shuffle(byte[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
