package io.ticketfoundry.worker;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for the separate random streams of a run (one per parameter tensor,
 * one per epoch's data order) from the replicate seed, so that adding a stream never shifts another.
 */
public final class Seeds {

    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective mix with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long derive(long seed, String purpose, long... parts) {
        long h = mix(seed + 0x9e3779b97f4a7c15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        for (long part : parts) {
            h = mix(h ^ part ^ 0x632be59bd9b4e019L);
        }
        return h;
    }
}
