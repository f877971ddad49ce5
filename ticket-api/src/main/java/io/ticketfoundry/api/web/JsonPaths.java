package io.ticketfoundry.api.web;

import java.util.List;
import tools.jackson.databind.DatabindException;

/** Renders Jackson's reference path as {@code spec.pruning.layerFractions[0]}. */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static String of(List<DatabindException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (DatabindException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
