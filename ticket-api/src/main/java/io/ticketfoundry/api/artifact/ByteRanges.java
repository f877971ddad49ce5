package io.ticketfoundry.api.artifact;

import java.util.Locale;

/**
 * HTTP Range requests (RFC 9110 §14) over an artifact of known size, one range at a time:
 * {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n}. What is not a single well-formed byte
 * range (another unit, several ranges, {@code b < a}, garbage) is ignored, as the RFC allows, and
 * the whole artifact is sent.
 */
public final class ByteRanges {

    /** The bytes {@code first} to {@code last}, both included. */
    public record ByteRange(long first, long last) {
        public long length() {
            return last - first + 1;
        }

        /** The Content-Range of this range of a {@code size}-byte representation. */
        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** How to answer: the whole representation (200), one range of it (206), or 416. */
    public sealed interface Outcome permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Outcome {
    }

    public record Partial(ByteRange range) implements Outcome {
    }

    public record Unsatisfiable() implements Outcome {
    }

    private ByteRanges() {
    }

    /** The outcome of a Range header ({@code null}: none) for a representation of {@code size} bytes. */
    public static Outcome evaluate(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String value = header.strip();
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        String spec = value.substring(equals + 1).strip();
        if (spec.isEmpty() || spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return new Whole();
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        if (from.isEmpty()) {
            long suffix = number(to);
            if (suffix < 0) {
                return new Whole();
            }
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Partial(new ByteRange(first, Math.min(last, size - 1)));
    }

    /** A non-negative decimal (saturating at {@link Long#MAX_VALUE}), or -1 when it is not one. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }
}
