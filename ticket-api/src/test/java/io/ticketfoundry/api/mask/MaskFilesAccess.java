package io.ticketfoundry.api.mask;

/** A valid mask file for tests outside this package. */
public final class MaskFilesAccess {

    private MaskFilesAccess() {
    }

    /** A LeNet-300-100 mask keeping about half the weights, float32. */
    public static byte[] lenetMask() {
        return MaskFiles.asF32("lenet-300-100", 10, MaskFiles.randomMask("lenet-300-100", 10, 0.5, 42));
    }
}
