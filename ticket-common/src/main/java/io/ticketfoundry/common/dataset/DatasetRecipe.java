package io.ticketfoundry.common.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A derived dataset: a deterministic recipe over a base dataset (a base name or an uploaded
 * dataset's id). Its id is {@code derived-} followed by the SHA-256 (hex) of its canonical JSON
 * ({@link #canonicalJson()}: defaults filled, nulls left out, keys sorted), so the same recipe has
 * the same id on every machine whatever the key order it was written in.
 *
 * <ul>
 * <li>{@code halves}: {@code half} "a" or "b"; the training set split into two halves holding half
 * of every class each (Morcos et al.'s CIFAR-10a / 10b); an odd class gives "b" the extra example.
 * The test split is the base's.</li>
 * <li>{@code subset}: {@code perClass} examples of every class, or {@code fraction} of every class
 * (rounded half up); the test split is the base's.</li>
 * <li>{@code validation-split}: {@code perClass} (or {@code fraction}) examples of every class held
 * out of the training set as the {@code validation} split; the test split is the base's.</li>
 * </ul>
 * Which examples a recipe picks is decided by the seeded rank of {@link ClassBalancedSelection}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetRecipe(String kind, String base, Long seed, String half, Integer perClass, Double fraction) {

    public static final String HALVES = "halves";
    public static final String SUBSET = "subset";
    public static final String VALIDATION_SPLIT = "validation-split";
    public static final Set<String> KINDS = Set.of(HALVES, SUBSET, VALIDATION_SPLIT);
    public static final String ID_PREFIX = "derived-";

    /** One problem with a recipe, named by its field. */
    public record Problem(String field, String message) {
    }

    public DatasetRecipe withDefaults() {
        return new DatasetRecipe(kind, base, seed == null ? 0L : seed, half, perClass, fraction);
    }

    /** What is wrong with this recipe's values (an empty list when nothing is). Base existence is the caller's check. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (kind == null) {
            problems.add(new Problem("kind", "is required: one of " + List.of(HALVES, SUBSET, VALIDATION_SPLIT)));
        } else if (!KINDS.contains(kind)) {
            problems.add(new Problem("kind", "must be one of " + List.of(HALVES, SUBSET, VALIDATION_SPLIT)));
        }
        if (base == null || base.isBlank()) {
            problems.add(new Problem("base", "is required"));
        } else if (base.startsWith(ID_PREFIX)) {
            problems.add(new Problem("base", "must be a base or uploaded dataset (recipes over derived datasets are not supported)"));
        }
        if (HALVES.equals(kind)) {
            if (half == null) {
                problems.add(new Problem("half", "is required for halves: \"a\" or \"b\""));
            } else if (!half.equals("a") && !half.equals("b")) {
                problems.add(new Problem("half", "must be \"a\" or \"b\""));
            }
            if (perClass != null) {
                problems.add(new Problem("perClass", "is not used by halves"));
            }
            if (fraction != null) {
                problems.add(new Problem("fraction", "is not used by halves"));
            }
        } else if (SUBSET.equals(kind) || VALIDATION_SPLIT.equals(kind)) {
            if (half != null) {
                problems.add(new Problem("half", "is only used by halves"));
            }
            if ((perClass == null) == (fraction == null)) {
                problems.add(new Problem(perClass == null ? "perClass" : "fraction",
                        "give exactly one of perClass and fraction"));
            }
            if (perClass != null && perClass < 1) {
                problems.add(new Problem("perClass", "must be at least 1"));
            }
            if (fraction != null && !(fraction > 0 && fraction < 1)) {
                problems.add(new Problem("fraction", "must be > 0 and < 1"));
            }
        }
        if (seed != null && seed < 0) {
            problems.add(new Problem("seed", "must be >= 0"));
        }
        return problems;
    }

    public String canonicalJson() {
        DatasetRecipe r = withDefaults();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", r.kind);
        map.put("base", r.base);
        map.put("seed", r.seed);
        map.put("half", r.half);
        map.put("perClass", r.perClass);
        map.put("fraction", r.fraction);
        return Canonical.json(map);
    }

    public String id() {
        return ID_PREFIX + Canonical.sha256Hex(canonicalJson());
    }

    public static boolean isDerivedId(String id) {
        return id != null && id.startsWith(ID_PREFIX) && id.length() == ID_PREFIX.length() + 64;
    }
}
