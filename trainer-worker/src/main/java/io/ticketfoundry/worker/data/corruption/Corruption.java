package io.ticketfoundry.worker.data.corruption;

/**
 * One CIFAR-10-C style corruption: a function of a clean image, a severity 1..5 and the example's
 * random stream. {@code random} says whether it draws from the stream at all (the deterministic
 * ones give the same image for every seed).
 */
public interface Corruption {

    String name();

    /** noise, blur, weather or digital. */
    String family();

    boolean random();

    /** The corrupted image (floats in [0, 1]; values outside are clipped when written back). */
    Image apply(Image image, int severity, PixelRandom random);

    /** A corruption from a lambda. */
    static Corruption of(String name, String family, boolean random, Function function) {
        return new Corruption() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String family() {
                return family;
            }

            @Override
            public boolean random() {
                return random;
            }

            @Override
            public Image apply(Image image, int severity, PixelRandom r) {
                if (severity < 1 || severity > 5) {
                    throw new IllegalArgumentException("severity must be 1 to 5, got " + severity);
                }
                return function.apply(image, severity - 1, r);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The body of a corruption; {@code s} is the severity minus one (an index into its parameter table). */
    @FunctionalInterface
    interface Function {
        Image apply(Image image, int s, PixelRandom random);
    }
}
