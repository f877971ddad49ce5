package io.ticketfoundry.worker.data.corruption;

import java.util.List;

/**
 * Noise, per value (every channel of every pixel), constants as CIFAR-10-C's:
 * <ul>
 * <li>gaussian-noise: {@code x + σ·N(0, 1)}, σ = 0.04, 0.06, 0.08, 0.09, 0.10;</li>
 * <li>shot-noise: {@code Poisson(λ x) / λ}, λ = 500, 250, 100, 75, 50;</li>
 * <li>impulse-noise (salt and pepper, as skimage's {@code random_noise(mode="s&p")}): with
 * probability p the value becomes 0 or 1 (one half each), p = 0.01, 0.02, 0.03, 0.05, 0.07.</li>
 * </ul>
 */
final class NoiseCorruptions {

    static final double[] GAUSSIAN = {0.04, 0.06, 0.08, 0.09, 0.10};
    static final double[] SHOT = {500, 250, 100, 75, 50};
    static final double[] IMPULSE = {0.01, 0.02, 0.03, 0.05, 0.07};

    private NoiseCorruptions() {
    }

    static List<Corruption> all() {
        return List.of(
                Corruption.of("gaussian-noise", "noise", true, NoiseCorruptions::gaussian),
                Corruption.of("shot-noise", "noise", true, NoiseCorruptions::shot),
                Corruption.of("impulse-noise", "noise", true, NoiseCorruptions::impulse));
    }

    static Image gaussian(Image image, int s, PixelRandom random) {
        float sigma = (float) GAUSSIAN[s];
        for (float[] p : image.planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] += sigma * (float) random.nextGaussian();
            }
        }
        return image.clip();
    }

    static Image shot(Image image, int s, PixelRandom random) {
        double lambda = SHOT[s];
        for (float[] p : image.planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (random.poisson(p[i] * lambda) / lambda);
            }
        }
        return image.clip();
    }

    static Image impulse(Image image, int s, PixelRandom random) {
        double amount = IMPULSE[s];
        for (float[] p : image.planes) {
            for (int i = 0; i < p.length; i++) {
                double flip = random.nextDouble();
                double salt = random.nextDouble(); // drawn always: severities share their draws
                if (flip < amount) {
                    p[i] = salt < 0.5 ? 1f : 0f;
                }
            }
        }
        return image;
    }
}
