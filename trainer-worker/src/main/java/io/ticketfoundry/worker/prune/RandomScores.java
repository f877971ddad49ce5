package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code random}: every weight scores a uniform draw in [0, 1) from {@link Random} (its algorithm
 * is fixed by its specification) seeded from (seed, tensor name), so a seed gives the same mask
 * on every worker. Synaptic-Flow's {@code Rand} draws Gaussians instead; any i.i.d. continuous
 * scores give the same distribution of masks.
 */
final class RandomScores implements PruningMethod.DataFree {

    @Override
    public String name() {
        return PruningMethods.RANDOM;
    }

    @Override
    public String score() {
        return "u ~ U[0, 1) seeded by (seed, tensor)";
    }

    @Override
    public boolean removesHighest() {
        return false;
    }

    @Override
    public Scorer open(ScoringInputs inputs) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (String name : inputs.scored()) {
            Random random = new Random(Seeds.derive(inputs.seed(), "prune-random:" + name));
            double[] s = new double[inputs.model().parameter(name).size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = random.nextDouble();
            }
            scores.put(name, s);
        }
        return current -> scores;
    }
}
