package io.ticketfoundry.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The models the worker knows, by the name an experiment spec uses. Every model sizes its output
 * layer by the number of classes it is built for (the dataset's, as open_lth's {@code outputs});
 * {@link #get(String)} builds the 10-class form.
 */
public final class ModelRegistry {

    public static final int DEFAULT_CLASSES = 10;

    private final Map<String, IntFunction<ModelDefinition>> factories;

    private ModelRegistry(Map<String, IntFunction<ModelDefinition>> factories) {
        this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
    }

    public static ModelRegistry standard() {
        Map<String, IntFunction<ModelDefinition>> factories = new LinkedHashMap<>();
        factories.put(LeNet300100.NAME, LeNet300100::new);
        factories.put(LeNet5.NAME, LeNet5::new);
        for (int depth : new int[] {2, 4, 6}) {
            factories.put("conv-" + depth, classes -> new ConvNet(depth, classes));
        }
        for (int depth : new int[] {11, 13, 16, 19}) {
            factories.put("vgg-" + depth, classes -> new Vgg(depth, classes));
        }
        factories.put(ResNet20.NAME, ResNet20::new);
        factories.put(ResNet18.CIFAR_NAME, classes -> new ResNet18(false, classes));
        factories.put(ResNet18.IMAGENET_NAME, classes -> new ResNet18(true, classes));
        return new ModelRegistry(factories);
    }

    /** The 10-class form of the model. */
    public ModelDefinition get(String name) {
        return get(name, DEFAULT_CLASSES);
    }

    public ModelDefinition get(String name, int numClasses) {
        IntFunction<ModelDefinition> factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model \"" + name + "\"; known: " + factories.keySet());
        }
        return factory.apply(numClasses);
    }

    public Set<String> names() {
        return factories.keySet();
    }
}
