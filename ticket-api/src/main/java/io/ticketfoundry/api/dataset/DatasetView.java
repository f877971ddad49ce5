package io.ticketfoundry.api.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A dataset as the API shows it. {@code kind} is {@code base}, {@code derived} or {@code upload};
 * {@code contentHash} is the SHA-256 the dataset is identified by (base: of its file hashes, null
 * while one is not declared; derived: of the recipe's canonical JSON; upload: of its description);
 * {@code files} maps each file (base: standard name; upload: role) to its SHA-256 and size.
 * {@code shared} is true for datasets every team sees (base datasets, recipes over them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(String id, String kind, String name, int numClasses, List<Integer> inputShape,
        String contentHash, String base, DatasetRecipe recipe, String format, Map<String, FileView> files,
        String source, boolean shared, Instant createdAt) {

    /** One file: its SHA-256 (null when the registry does not declare it) and its size when known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileView(String sha256, Long sizeBytes) {
    }

    /** The list answer. */
    public record DatasetList(List<DatasetView> items) {
    }
}
