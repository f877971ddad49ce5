package io.ticketfoundry.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The models the worker knows, by the name an experiment spec uses. */
public final class ModelRegistry {

    private final Map<String, Supplier<ModelDefinition>> factories;

    private ModelRegistry(Map<String, Supplier<ModelDefinition>> factories) {
        this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
    }

    public static ModelRegistry standard() {
        Map<String, Supplier<ModelDefinition>> factories = new LinkedHashMap<>();
        factories.put(LeNet300100.NAME, LeNet300100::new);
        return new ModelRegistry(factories);
    }

    public ModelDefinition get(String name) {
        Supplier<ModelDefinition> factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model \"" + name + "\"; known: " + factories.keySet());
        }
        return factory.get();
    }

    public Set<String> names() {
        return factories.keySet();
    }
}
