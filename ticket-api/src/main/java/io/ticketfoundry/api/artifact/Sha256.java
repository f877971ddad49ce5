package io.ticketfoundry.api.artifact;

import java.util.regex.Pattern;

/** The one spelling of an artifact's name: 64 lower-case hex digits. */
public final class Sha256 {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    public static boolean isValid(String value) {
        return value != null && HEX.matcher(value).matches();
    }
}
