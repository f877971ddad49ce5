package io.ticketfoundry.worker.prune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code magnitude} (one-shot magnitude pruning, OMP): the score is |w|, ranked as
 * {@link MagnitudePruning} ranks it (smallest first, ties to the earlier weight), so a global
 * magnitude mask equals {@link MagnitudePruning#pruneToRemaining} at the same budget.
 */
final class MagnitudeScores implements PruningMethod.DataFree {

    @Override
    public String name() {
        return PruningMethods.MAGNITUDE;
    }

    @Override
    public String score() {
        return "|w|";
    }

    @Override
    public boolean removesHighest() {
        return false;
    }

    @Override
    public Scorer open(ScoringInputs inputs) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (String name : inputs.scored()) {
            float[] w = inputs.weights().values(name);
            double[] s = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                if (Float.isNaN(w[i])) {
                    throw new IllegalArgumentException(name + " has NaN at flat index " + i + "; cannot prune by magnitude");
                }
                s[i] = Math.abs(w[i]);
            }
            scores.put(name, s);
        }
        return current -> scores;
    }
}
