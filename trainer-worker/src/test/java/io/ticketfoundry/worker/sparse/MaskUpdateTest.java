package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskUpdateTest {

    private static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }

    @Test
    void rigLDropsTheSmallestMagnitudesAndGrowsTheLargestGradients() {
        float[] w = {0.5f, -0.1f, 0f, 0.3f, 0f, 0f, -0.2f, 0f};
        byte[] mask = {1, 1, 0, 1, 0, 0, 1, 0};
        float[] g = {9f, 0.05f, -3f, 9f, 0.5f, 2f, 0.01f, -3f};
        MaskUpdate.Result result = MaskUpdate.rigl(w, g, mask, 2);
        // -0.1 (1) and -0.2 (6) leave; |g| = 3 at 2 and 7 (a tie, both taken) beats 2 (5), 0.5 (4)
        assertThat(result.mask()).containsExactly(1, 0, 1, 1, 0, 0, 0, 1);
        assertThat(result.grown()).containsExactly(0, 0, 1, 0, 0, 0, 0, 1);
        assertThat(result.dropped()).isEqualTo(2);
        assertThat(result.newConnections()).isEqualTo(2);
        assertThat(mask).as("the input is not changed").containsExactly(1, 1, 0, 1, 0, 0, 1, 0);
    }

    @Test
    void tiesGoByFlatIndexAndADroppedWeightMayComeBackUnchanged() {
        float[] w = {0.2f, 0.2f, 0.2f, 0f, 0f};
        byte[] mask = {1, 1, 1, 0, 0};
        // the lower index is dropped first among equal magnitudes
        float[] g = {0f, 0f, 0f, 1f, 1f};
        assertThat(MaskUpdate.rigl(w, g, mask, 1).mask()).containsExactly(0, 1, 1, 1, 0);
        // a gradient tie grows the lower index
        assertThat(MaskUpdate.rigl(w, g, mask, 1).grown()).containsExactly(0, 0, 0, 1, 0);
        // the weight just dropped has the largest gradient: it is grown again and is no new connection
        float[] back = {5f, 0f, 0f, 1f, 1f};
        MaskUpdate.Result result = MaskUpdate.rigl(w, back, mask, 1);
        assertThat(result.mask()).containsExactly(1, 1, 1, 0, 0);
        assertThat(result.newConnections()).isZero();
        assertThat(result.grown()).containsOnly(0);
    }

    @Test
    void setGrowsAsManyAtRandomAmongTheInactiveSeeded() {
        int n = 1000;
        float[] w = new float[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i += 10) {
            mask[i] = 1;
            w[i] = 1f + i;
        }
        MaskUpdate.Result a = MaskUpdate.set(w, mask, 30, 7);
        MaskUpdate.Result b = MaskUpdate.set(w, mask, 30, 7);
        MaskUpdate.Result c = MaskUpdate.set(w, mask, 30, 8);
        assertThat(count(a.mask())).isEqualTo(100);
        assertThat(a.mask()).isEqualTo(b.mask());
        assertThat(a.mask()).isNotEqualTo(c.mask());
        for (int i = 0; i < 300; i += 10) {
            // the 30 smallest (0..290) were dropped; one grown back is kept as it was, not a new connection
            assertThat(a.grown()[i]).as("position %d", i).isZero();
        }
        for (int i = 300; i < n; i += 10) {
            assertThat(a.mask()[i]).as("kept %d", i).isEqualTo((byte) 1);
        }
        int grown = 0;
        for (int i = 0; i < n; i++) {
            if (a.grown()[i] == 1) {
                assertThat(mask[i]).isZero();
                grown++;
            }
        }
        assertThat(grown).isEqualTo(a.newConnections()).isLessThanOrEqualTo(30);
    }

    @Test
    void keepLargestReimposesACountWithinASupport() {
        float[] w = {0.1f, -0.9f, 0.5f, 0.7f, 0f, -0.4f};
        byte[] support = {1, 1, 1, 0, 1, 1};
        assertThat(MaskUpdate.keepLargest(w, support, 3)).containsExactly(0, 1, 1, 0, 0, 1);
        assertThat(MaskUpdate.keepLargest(w, support, 5)).containsExactly(1, 1, 1, 0, 1, 1);
        assertThatThrownBy(() -> MaskUpdate.keepLargest(w, support, 6)).hasMessageContaining("cannot keep 6 of 5");
        assertThatThrownBy(() -> MaskUpdate.rigl(w, w, support, 6)).hasMessageContaining("cannot drop 6 of 5");
    }
}
