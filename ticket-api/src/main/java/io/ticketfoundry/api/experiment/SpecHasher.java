package io.ticketfoundry.api.experiment;

import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An experiment's identity, following open_lth: of the defaults-filled spec keep only the values
 * that differ from the default spec, serialise them canonically and SHA-256 the result.
 *
 * <p>The rule works on JSON trees, so a field added later with a default changes no existing hash:
 * wherever the resolved value equals the default tree's value at the same path it is dropped.
 * Objects are compared field by field (an object emptied by dropping disappears), except at the
 * "value paths" (map-valued fields such as {@code pruning.layerFractions}), which like arrays and
 * scalars are compared as whole values. Numbers compare numerically (0.1 == 0.10, 1 == 1.0). The
 * replicate seed is not part of the spec, so it never enters the hash.
 *
 * <p>Canonical form: keys sorted, no whitespace, numbers as plain decimals without trailing zeros
 * (1.0 → 1, 1e-4 → 0.0001), strings JSON-escaped.
 */
public final class SpecHasher {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SpecHasher EXPERIMENT_SPEC = new SpecHasher(valuePathsOf(ExperimentSpec.class));

    private final Set<String> valuePaths;

    /** @param valuePaths dotted paths (from the spec root) of objects compared as whole values */
    public SpecHasher(Set<String> valuePaths) {
        this.valuePaths = Set.copyOf(valuePaths);
    }

    /** The hasher for {@link ExperimentSpec}: its map-valued fields are value paths. */
    public static SpecHasher forExperimentSpec() {
        return EXPERIMENT_SPEC;
    }

    public Set<String> valuePaths() {
        return valuePaths;
    }

    /** SHA-256 (hex) of the canonical form of what differs from the defaults. */
    public String hash(JsonNode resolved, JsonNode defaults) {
        return sha256(canonical(identity(resolved, defaults)));
    }

    /** What of {@code resolved} differs from {@code defaults}: the part the hash covers. */
    public JsonNode identity(JsonNode resolved, JsonNode defaults) {
        JsonNode kept = prune(resolved, defaults, "");
        return kept == null ? JsonNodeFactory.instance.objectNode() : kept;
    }

    private JsonNode prune(JsonNode value, JsonNode defaultValue, String path) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isObject() && !valuePaths.contains(path)) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldDefault = defaultValue != null && defaultValue.isObject() ? defaultValue.get(field.getKey()) : null;
                JsonNode kept = prune(field.getValue(), fieldDefault, path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (kept != null) {
                    out.set(field.getKey(), kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return sameValue(value, defaultValue) ? null : value;
    }

    /** Value equality with numbers compared numerically, objects ignoring key order, arrays in order. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null || a.isMissingNode() || b.isMissingNode()) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : a.properties()) {
                if (!sameValue(field.getValue(), b.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        return a.equals(b);
    }

    /** Sorted keys, no whitespace, normalised numbers. */
    public static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>(node.propertyNames());
            Collections.sort(keys);
            out.append('{');
            boolean first = true;
            for (String key : keys) {
                JsonNode value = node.get(key);
                if (value == null || value.isNull()) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(JSON.writeValueAsString(key)).append(':');
                write(value, out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(number(node.decimalValue()));
        } else if (node.isString()) {
            out.append(JSON.writeValueAsString(node.stringValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else {
            throw new IllegalArgumentException("cannot canonicalise a " + node.getNodeType() + " node");
        }
    }

    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    static String sha256(String text) {
        return Digests.sha256Hex(text);
    }

    /** Dotted paths of the Map-typed components of a record tree. */
    static Set<String> valuePathsOf(Class<?> recordType) {
        Set<String> out = new HashSet<>();
        collectValuePaths(recordType, "", out);
        return out;
    }

    private static void collectValuePaths(Class<?> recordType, String prefix, Set<String> out) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            String path = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            Class<?> type = component.getType();
            if (Map.class.isAssignableFrom(type)) {
                out.add(path);
            } else if (type.isRecord()) {
                collectValuePaths(type, path, out);
            }
        }
    }
}
