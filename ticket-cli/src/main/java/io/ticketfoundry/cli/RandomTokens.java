package io.ticketfoundry.cli;

import java.security.SecureRandom;
import java.util.HexFormat;

final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "tf_" + HexFormat.of().formatHex(bytes);
    }
}
