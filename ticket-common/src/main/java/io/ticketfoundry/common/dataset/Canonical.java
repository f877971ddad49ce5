package io.ticketfoundry.common.dataset;

import io.ticketfoundry.common.Digests;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON for dataset identities: objects with sorted keys, no whitespace, null values
 * left out, numbers as plain decimals without trailing zeros, strings JSON-escaped. Supports the
 * values dataset descriptions use: String, Number, Boolean, Map (string keys).
 */
public final class Canonical {

    private Canonical() {
    }

    public static String json(Map<String, ?> object) {
        StringBuilder out = new StringBuilder();
        write(object, out);
        return out.toString();
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        return Digests.sha256Hex(bytes);
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    sorted.put((String) k, v);
                }
            });
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Number n) {
            BigDecimal decimal = n instanceof Double || n instanceof Float
                    ? BigDecimal.valueOf(n.doubleValue()) : new BigDecimal(n.toString());
            decimal = decimal.stripTrailingZeros();
            out.append(decimal.signum() == 0 ? "0" : decimal.toPlainString());
        } else {
            throw new IllegalArgumentException("cannot write " + value + " canonically");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
