package io.ticketfoundry.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values of every parameter of a model, by reference name, in the definition's order. */
public final class Weights {

    private final List<ParameterSpec> specs;
    private final Map<String, float[]> values;

    private Weights(List<ParameterSpec> specs, Map<String, float[]> values) {
        this.specs = List.copyOf(specs);
        this.values = values;
    }

    /** Checks names and sizes against the definition; the arrays are taken over, not copied. */
    public static Weights of(ModelDefinition definition, Map<String, float[]> values) {
        Map<String, float[]> ordered = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            float[] v = values.get(spec.name());
            if (v == null) {
                throw new IllegalArgumentException("missing values for " + spec.name());
            }
            if (v.length != spec.size()) {
                throw new IllegalArgumentException(spec.name() + ": expected " + spec.size() + " values, got " + v.length);
            }
            ordered.put(spec.name(), v);
        }
        if (values.size() != ordered.size()) {
            List<String> extra = values.keySet().stream().filter(k -> !ordered.containsKey(k)).toList();
            throw new IllegalArgumentException("unknown parameters for " + definition.name() + ": " + extra);
        }
        return new Weights(definition.parameters(), ordered);
    }

    public List<ParameterSpec> specs() {
        return specs;
    }

    /** The live array for {@code name}; callers that keep it must not share the Weights. */
    public float[] values(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name + "; have " + values.keySet());
        }
        return v;
    }

    public Map<String, float[]> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public Weights copy() {
        Map<String, float[]> copied = new LinkedHashMap<>();
        values.forEach((k, v) -> copied.put(k, v.clone()));
        return new Weights(specs, copied);
    }

    void requireMatches(ModelDefinition definition) {
        if (!specs.equals(definition.parameters())) {
            throw new IllegalArgumentException("weights do not belong to model " + definition.name());
        }
    }
}
