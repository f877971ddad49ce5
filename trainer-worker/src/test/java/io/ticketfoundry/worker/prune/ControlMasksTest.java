package io.ticketfoundry.worker.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlMasksTest {

    private static final ModelDefinition LENET = new LeNet300100();

    /** A level-3 ticket of layerwise pruning with fc3 at half the rate: per-layer densities differ. */
    private static Mask ticket() {
        Weights trained = LENET.initialWeights(11);
        PruningSpec spec = new PruningSpec("layerwise", 0.2, 3, Map.of("fc3.weight", 0.1), List.of());
        Mask mask = Mask.allOnes(LENET);
        for (int level = 0; level < 3; level++) {
            mask = MagnitudePruning.prune(trained, mask, spec);
        }
        return mask;
    }

    @Test
    void reinitKeepsTheMask() {
        Mask ticket = ticket();
        assertThat(ControlMasks.build("reinit", ticket, List.of(), 0, 3)).isEqualTo(ticket);
    }

    @Test
    void layerPermutedKeepsEveryLayersDensityExactlyAndMovesTheSurvivors() {
        Mask ticket = ticket();
        Mask control = ControlMasks.build("layer-permuted", ticket, List.of(), 0, 3);
        for (String name : ticket.names()) {
            assertThat(control.remaining(name)).as(name).isEqualTo(ticket.remaining(name));
        }
        assertThat(control).isNotEqualTo(ticket);
    }

    @Test
    void globalPermutedKeepsTheTotalExactlyButNotTheLayerDensities() {
        Mask ticket = ticket();
        Mask control = ControlMasks.build("global-permuted", ticket, List.of(), 0, 3);
        assertThat(control.remaining()).isEqualTo(ticket.remaining());
        assertThat(control.total()).isEqualTo(ticket.total());
        // fc3 kept 72.9% (half rate); spread uniformly it keeps about the global density (~51%)
        double global = (double) ticket.remaining() / ticket.total();
        assertThat((double) control.remaining("fc3.weight") / 1000).isCloseTo(global, org.assertj.core.data.Offset.offset(0.06));
        assertThat(control.remaining("fc3.weight")).isNotEqualTo(ticket.remaining("fc3.weight"));
    }

    @Test
    void globalPermutedLeavesIgnoredTensorsAlone() {
        Mask ticket = ticket();
        Mask control = ControlMasks.build("global-permuted", ticket, List.of("fc3.weight"), 0, 3);
        assertThat(control.values("fc3.weight")).isEqualTo(ticket.values("fc3.weight"));
        assertThat(control.remaining()).isEqualTo(ticket.remaining());
    }

    @Test
    void controlsAreDeterministicBySeedAndLevel() {
        Mask ticket = ticket();
        for (String control : List.of("layer-permuted", "global-permuted")) {
            Mask a = ControlMasks.build(control, ticket, List.of(), 7, 3);
            Mask b = ControlMasks.build(control, ticket, List.of(), 7, 3);
            assertThat(a).as(control).isEqualTo(b);
            assertThat(ControlMasks.build(control, ticket, List.of(), 8, 3)).as(control).isNotEqualTo(a);
            assertThat(ControlMasks.build(control, ticket, List.of(), 7, 4)).as(control).isNotEqualTo(a);
        }
        assertThat(ControlMasks.weightSeed("reinit", 7, 3)).isEqualTo(ControlMasks.weightSeed("reinit", 7, 3))
                .isNotEqualTo(ControlMasks.weightSeed("global-permuted", 7, 3));
    }
}
