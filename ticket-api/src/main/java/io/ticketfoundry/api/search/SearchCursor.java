package io.ticketfoundry.api.search;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Where the next page starts: the sort value (as PostgreSQL wrote it; null for a NULL) and id of
 * the last row of the page before, and a fingerprint of the search it belongs to, so that a cursor
 * is not applied to another query or sort.
 */
record SearchCursor(String fingerprint, UUID id, String value) {

    /** A short hash of the endpoint, the query and the sort. */
    static String fingerprint(String target, String query, String sort) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((target + "\n" + query + "\n" + sort).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String encode() {
        String text = fingerprint + "|" + id + "|" + (value == null ? "n" : "v" + value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null when it is not one this service wrote for a search with {@code fingerprint}. */
    static SearchCursor decode(String cursor, String fingerprint) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3 || !parts[0].equals(fingerprint) || parts[2].isEmpty()) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return switch (parts[2].charAt(0)) {
            case 'n' -> parts[2].length() == 1 ? new SearchCursor(fingerprint, id, null) : null;
            case 'v' -> new SearchCursor(fingerprint, id, parts[2].substring(1));
            default -> null;
        };
    }

    /** Whether the value reads as {@code sqlType}, so that casting it back cannot fail. */
    boolean valueFits(String sqlType) {
        if (value == null) {
            return true;
        }
        try {
            switch (sqlType) {
                case "double precision" -> {
                    if (!value.equals("NaN") && !value.equals("Infinity") && !value.equals("-Infinity")) {
                        new BigDecimal(value);
                    }
                }
                case "numeric" -> new BigDecimal(value);
                case "integer" -> Integer.parseInt(value);
                case "bigint" -> Long.parseLong(value);
                case "boolean" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return false;
                    }
                }
                case "timestamptz" -> Instant.parse(value);
                case "text" -> {
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (NumberFormatException | DateTimeParseException e) {
            return false;
        }
    }
}
