package io.ticketfoundry.common.safetensors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The contents of one safetensors file: named tensors plus the optional string metadata. */
public final class SafeTensors {

    /** The header key that holds metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    public SafeTensors(Map<String, String> metadata, List<Tensor> tensors) {
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor tensor : tensors) {
            if (METADATA_KEY.equals(tensor.name())) {
                throw new IllegalArgumentException(METADATA_KEY + " is reserved and cannot name a tensor");
            }
            if (byName.putIfAbsent(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException("duplicate tensor name " + tensor.name());
            }
        }
        this.tensors = Collections.unmodifiableMap(byName);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensors in the order they were given (for a file read from disk: the order of their data). */
    public List<Tensor> tensors() {
        return new ArrayList<>(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Tensor get(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new NoSuchElementException("no tensor named " + name + "; present: " + tensors.keySet());
        }
        return tensor;
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }
}
