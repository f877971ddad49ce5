package io.ticketfoundry.worker.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreSelectionTest {

    private static Map<String, byte[]> ones(int a, int b) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a", filled(a));
        m.put("b", filled(b));
        return m;
    }

    private static byte[] filled(int n) {
        byte[] v = new byte[n];
        Arrays.fill(v, (byte) 1);
        return v;
    }

    @Test
    void removesTheLowestScoresAndOnTiesTheEarlierWeight() {
        Map<String, double[]> scores = Map.of("a", new double[] {0.5, 0.1, 0.3, 0.3}, "b", new double[] {0.3, 0.9, -0.0, 0.0});
        // keep 4 of 8: remove −0.0 and 0.0 (b[2], b[3]), 0.1 (a[1]), then one of the three 0.3s: the earliest, a[2]
        Map<String, byte[]> kept = ScoreSelection.keep(List.of("a", "b"), scores, ones(4, 4), 4, false);
        assertThat(kept.get("a")).containsExactly(1, 0, 0, 1);
        assertThat(kept.get("b")).containsExactly(1, 1, 0, 0);
    }

    @Test
    void removesTheHighestScoresWhenTheMethodSaysSo() {
        Map<String, double[]> scores = Map.of("a", new double[] {0.5, 0.1, 0.3, 0.3}, "b", new double[] {0.3, 0.9, 0, 0});
        // keep 5 of 8: remove 0.9, 0.5, then the earliest 0.3 (a[2])
        Map<String, byte[]> kept = ScoreSelection.keep(List.of("a", "b"), scores, ones(4, 4), 5, true);
        assertThat(kept.get("a")).containsExactly(0, 1, 0, 1);
        assertThat(kept.get("b")).containsExactly(1, 0, 1, 1);
    }

    @Test
    void prunedWeightsAreNoCandidates() {
        Map<String, byte[]> current = ones(4, 0);
        current.put("b", new byte[0]);
        current.get("a")[0] = 0; // the best score, but already pruned
        Map<String, double[]> scores = Map.of("a", new double[] {9, 1, 2, 3}, "b", new double[0]);
        Map<String, byte[]> kept = ScoreSelection.keep(List.of("a", "b"), scores, current, 2, false);
        assertThat(kept.get("a")).containsExactly(0, 0, 1, 1);
        assertThat(ScoreSelection.keep(List.of("a"), scores, current, 3, false).get("a")).containsExactly(0, 1, 1, 1);
    }

    @Test
    void kthSmallestAgreesWithSorting() {
        Random random = new Random(1);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(500);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(20) - 10; // many ties
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(n);
            assertThat(ScoreSelection.kthSmallest(values.clone(), k)).isEqualTo(sorted[k]);
        }
    }

    @Test
    void classBalancedSamplesAreSeededAndGroupedByClass() {
        int[] labels = new int[60];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3 == 2 && i > 10 ? 0 : i % 3; // class 2 has only 3 samples (2, 5, 8)
        }
        int[] chosen = ScoringData.classBalancedIndices(labels, 3, 5, 7);
        assertThat(chosen).hasSize(13);
        int[] classes = Arrays.stream(chosen).map(i -> labels[i]).toArray();
        assertThat(classes).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2);
        assertThat(Arrays.stream(chosen).distinct().count()).isEqualTo(13);
        assertThat(ScoringData.classBalancedIndices(labels, 3, 5, 7)).isEqualTo(chosen);
        assertThat(ScoringData.classBalancedIndices(labels, 3, 5, 8)).isNotEqualTo(chosen);
    }
}
