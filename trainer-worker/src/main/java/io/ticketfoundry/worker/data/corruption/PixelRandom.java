package io.ticketfoundry.worker.data.corruption;

/**
 * The random stream of one corrupted example: SplitMix64 (Steele et al.) from a seed derived from
 * (recipe seed, corruption, example index), so an example's corruption does not depend on which
 * other examples are generated, in what order or on how many threads. Uniforms take the top 53
 * bits; normals are Box–Muller pairs; Poisson draws are Knuth's product method below 10 and
 * Hörmann's PTRS (transformed rejection, as in NumPy) from 10 up. Fully specified here so the
 * stream does not change with the JDK.
 */
public final class PixelRandom {

    private long state;
    private double spareNormal;
    private boolean hasSpare;

    public PixelRandom(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [lo, hi) (NumPy's randint convention: hi excluded). */
    public int integer(int lo, int hi) {
        return lo + (int) Math.floor(nextDouble() * (hi - lo));
    }

    /** Standard normal (Box–Muller). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareNormal = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A Poisson draw of mean {@code lambda} >= 0. */
    public int poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda < 10) {
            double limit = Math.exp(-lambda);
            double product = nextDouble();
            int k = 0;
            while (product > limit) {
                product *= nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = nextDouble() - 0.5;
            double v = nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return (int) k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial((int) k)) {
                return (int) k;
            }
        }
    }

    private static final double[] LOG_FACTORIAL = new double[1024];

    static {
        for (int i = 1; i < LOG_FACTORIAL.length; i++) {
            LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
        }
    }

    static double logFactorial(int k) {
        if (k < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[k];
        }
        double n = k + 1.0; // Stirling's series for log Γ(n)
        return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n * n * n);
    }
}
