package io.ticketfoundry.common.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a worker needs to build the dataset a spec names: a {@code base} dataset by name, a
 * {@code derived} one by its recipe (whose base may be an upload, then {@code upload} describes that
 * base), or an {@code upload} by its files. The worker checks that the id matches the recipe or
 * upload it carries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetRef(String id, String kind, DatasetRecipe recipe, DatasetUpload upload) {

    public static final String BASE = "base";
    public static final String DERIVED = "derived";
    public static final String UPLOAD = "upload";

    public static DatasetRef base(String name) {
        return new DatasetRef(name, BASE, null, null);
    }

    public static DatasetRef derived(DatasetRecipe recipe, DatasetUpload baseUpload) {
        return new DatasetRef(recipe.id(), DERIVED, recipe.withDefaults(), baseUpload);
    }

    public static DatasetRef upload(DatasetUpload upload) {
        return new DatasetRef(upload.id(), UPLOAD, null, upload);
    }

    /** The id of the base dataset: the name, the recipe's base, or the upload itself. */
    public String baseId() {
        return DERIVED.equals(kind) ? recipe.base() : id;
    }
}
