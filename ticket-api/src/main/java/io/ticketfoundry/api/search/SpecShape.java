package io.ticketfoundry.api.search;

import io.ticketfoundry.common.spec.ExperimentSpec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The paths a resolved spec can have, read from the {@link ExperimentSpec} records, so that only
 * those reach SQL. Below a map (such as {@code pruning.layerFractions}) the rest of the path is one
 * key: tensor names hold dots.
 */
final class SpecShape {

    /** A known path: its segments in the stored JSON, what it holds, and for a list what its items are. */
    record Path(List<String> segments, ValueType type, ValueType itemType) {
        String dotted() {
            return "spec." + String.join(".", segments);
        }
    }

    private SpecShape() {
    }

    /** The path {@code dotted} (after "spec."), or a {@link QueryException} naming what the section has. */
    static Path resolve(String dotted, int position) {
        String[] parts = dotted.split("\\.", -1);
        List<String> segments = new ArrayList<>();
        Type current = ExperimentSpec.class;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new QueryException("'spec." + dotted + "' has an empty path segment", position);
            }
            if (current instanceof Class<?> type && type.isRecord()) {
                RecordComponent component = component(type, part);
                if (component == null) {
                    String section = segments.isEmpty() ? "spec" : "spec." + String.join(".", segments);
                    throw new QueryException("unknown field 'spec." + dotted + "': " + section + " has "
                            + names(type), position);
                }
                segments.add(part);
                current = component.getGenericType();
            } else if (isMap(current)) {
                segments.add(String.join(".", List.of(parts).subList(i, parts.length)));
                current = typeArgument(current, 1);
                break;
            } else {
                throw new QueryException("'spec." + String.join(".", segments) + "' is " + typeOf(current).description()
                        + " and has no field '" + part + "'", position);
            }
        }
        ValueType type = typeOf(current);
        ValueType itemType = type == ValueType.LIST ? typeOf(typeArgument(current, 0)) : null;
        return new Path(List.copyOf(segments), type, itemType);
    }

    private static RecordComponent component(Class<?> type, String name) {
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return component;
            }
        }
        return null;
    }

    private static String names(Class<?> type) {
        return java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted()
                .collect(Collectors.joining(", "));
    }

    private static boolean isMap(Type type) {
        return type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Map.class.isAssignableFrom(raw);
    }

    private static Type typeArgument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    private static ValueType typeOf(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return ValueType.TEXT;
        }
        if (Number.class.isAssignableFrom(raw) || raw == int.class || raw == long.class || raw == double.class) {
            return ValueType.NUMBER;
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return ValueType.BOOLEAN;
        }
        if (List.class.isAssignableFrom(raw)) {
            return ValueType.LIST;
        }
        return ValueType.SECTION;
    }
}
