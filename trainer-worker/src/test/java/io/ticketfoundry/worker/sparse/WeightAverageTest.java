package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.worker.TestModels;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

    private static final ModelDefinition TINY = TestModels.tiny();

    private static Mask mask(byte[] a, byte[] b, byte[] c) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("a.weight", a);
        values.put("b.weight", b);
        values.put("c.weight", c);
        return Mask.of(TINY, values);
    }

    @Test
    void theAverageIsTheMeanOnTheUnionOrTheTargetCountsReimposedByMagnitude() {
        WeightAverage average = new WeightAverage(TINY);
        // three epoch ends, each zero outside its own mask
        average.add(TestModels.tinyWeights(new float[] {3, 0, 0, 0, 0, 6}, new float[] {1, 0, 0, 0},
                new float[] {0, 2, 0, 0}), mask(new byte[] {1, 0, 0, 0, 0, 1}, new byte[] {1, 0, 0, 0}, new byte[] {0, 1, 0, 0}));
        average.add(TestModels.tinyWeights(new float[] {3, 0, 0, 0, 0, 0}, new float[] {1, 0, 0, 0},
                new float[] {0, 2, 0, 0}), mask(new byte[] {1, 0, 0, 0, 1, 0}, new byte[] {1, 0, 0, 0}, new byte[] {0, 1, 0, 0}));
        average.add(TestModels.tinyWeights(new float[] {3, 0, 0, 0, 1.5f, 0}, new float[] {0, 0, 0, 4},
                new float[] {0, 2, 0, 0}), mask(new byte[] {1, 0, 0, 0, 1, 0}, new byte[] {0, 0, 0, 1}, new byte[] {0, 1, 0, 0}));
        assertThat(average.count()).isEqualTo(3);
        Map<String, float[]> mean = average.mean();
        // incremental means in float32, as the reference's moving_average: equal to the mean up to rounding
        assertThat(mean.get("a.weight")).containsExactly(new float[] {3f, 0f, 0f, 0f, 0.5f, 2f},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(mean.get("b.weight")[0]).isCloseTo(2f / 3, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(mean.get("b.weight")[3]).isCloseTo(4f / 3, org.assertj.core.data.Offset.offset(1e-6f));

        Weights last = TestModels.tinyWeights(new float[6], new float[4], new float[4]);
        WeightAverage.Averaged union = average.result(last, null);
        assertThat(union.mask()).isEqualTo(union.union());
        assertThat(union.mask().remaining("a.weight")).isEqualTo(3);
        assertThat(union.mask().remaining("b.weight")).isEqualTo(2);
        assertThat(union.mask().remaining()).as("the support widened from 4 to 6").isEqualTo(6);

        // re-imposed at the counts of a run with 2, 1 and 1 weights: the largest |mean| within the union
        WeightAverage.Averaged reimposed = average.result(last, Map.of("a.weight", 2L, "b.weight", 1L, "c.weight", 1L));
        assertThat(reimposed.mask().values("a.weight")).containsExactly(1, 0, 0, 0, 0, 1);
        assertThat(reimposed.mask().values("b.weight")).containsExactly(0, 0, 0, 1);
        assertThat(reimposed.mask().remaining()).isEqualTo(4);
        assertThat(reimposed.weights().values("a.weight")).containsExactly(new float[] {3f, 0f, 0f, 0f, 0f, 2f},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(reimposed.weights().values("b.weight")[0]).isZero();
        assertThat(reimposed.union()).isEqualTo(union.union());
    }

    @Test
    void aResumedAverageContinuesWhereItStopped() {
        WeightAverage straight = new WeightAverage(TINY);
        Weights first = TestModels.tinyWeights(new float[] {1, 2, 3, 4, 5, 6}, new float[] {1, 1, 1, 1}, new float[] {2, 2, 2, 2});
        Weights second = TestModels.tinyWeights(new float[] {3, 2, 1, 0, 1, 2}, new float[] {0, 1, 0, 1}, new float[] {1, 0, 1, 0});
        Mask all = Mask.allOnes(TINY);
        straight.add(first, all);
        WeightAverage resumed = new WeightAverage(TINY, straight.mean(), straight.support(), straight.count());
        straight.add(second, all);
        resumed.add(second, all);
        assertThat(resumed.count()).isEqualTo(2);
        straight.mean().forEach((name, values) -> assertThat(resumed.mean().get(name)).as(name).isEqualTo(values));
    }
}
