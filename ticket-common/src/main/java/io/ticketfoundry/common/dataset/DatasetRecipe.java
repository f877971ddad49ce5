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
 * <li>{@code corruption}: the base's {@code source} split (default {@code test}, as CIFAR-10-C) with
 * the corruption {@code corruption} at {@code severity} 1..5 applied to every image (random draws
 * seeded by {@code seed} and the example's index), then split class-balanced: {@code trainFraction}
 * (default 0.9; rounded half up per class) of every class is the train split, the rest the test
 * split. {@code trainFraction} 0 makes a test-only dataset (every corrupted image is in test).</li>
 * </ul>
 * Which examples a recipe picks is decided by the seeded rank of {@link ClassBalancedSelection}.
 * The corruption fields are absent from the other kinds, so their canonical JSON (and ids) are the
 * same as before the corruption kind existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetRecipe(String kind, String base, Long seed, String half, Integer perClass, Double fraction,
        String corruption, Integer severity, String source, Double trainFraction) {

    public static final String HALVES = "halves";
    public static final String SUBSET = "subset";
    public static final String VALIDATION_SPLIT = "validation-split";
    public static final String CORRUPTION = "corruption";
    public static final List<String> KIND_NAMES = List.of(HALVES, SUBSET, VALIDATION_SPLIT, CORRUPTION);
    public static final Set<String> KINDS = Set.copyOf(KIND_NAMES);
    public static final String ID_PREFIX = "derived-";

    /**
     * The corruptions a {@code corruption} recipe may name (the worker implements exactly these), in
     * CIFAR-10-C's order: noise, blur, weather, digital.
     */
    public static final List<String> CORRUPTIONS = List.of(
            "gaussian-noise", "shot-noise", "impulse-noise",
            "defocus-blur", "glass-blur", "motion-blur", "zoom-blur",
            "snow", "frost", "fog", "brightness",
            "contrast", "elastic", "pixelate", "jpeg");
    public static final int MAX_SEVERITY = 5;
    public static final String DEFAULT_SOURCE = "test";
    public static final double DEFAULT_TRAIN_FRACTION = 0.9;

    /** The recipes that existed before corruptions: halves, subset, validation-split. */
    public DatasetRecipe(String kind, String base, Long seed, String half, Integer perClass, Double fraction) {
        this(kind, base, seed, half, perClass, fraction, null, null, null, null);
    }

    /** A corruption recipe ({@code seed}, {@code source}, {@code trainFraction} may be null: defaults). */
    public static DatasetRecipe corruption(String base, String corruption, int severity, Long seed, String source,
            Double trainFraction) {
        return new DatasetRecipe(CORRUPTION, base, seed, null, null, null, corruption, severity, source, trainFraction);
    }

    /** One problem with a recipe, named by its field. */
    public record Problem(String field, String message) {
    }

    public DatasetRecipe withDefaults() {
        boolean corrupt = CORRUPTION.equals(kind);
        return new DatasetRecipe(kind, base, seed == null ? 0L : seed, half, perClass, fraction, corruption, severity,
                corrupt && source == null ? DEFAULT_SOURCE : source,
                corrupt && trainFraction == null ? Double.valueOf(DEFAULT_TRAIN_FRACTION) : trainFraction);
    }

    /** What is wrong with this recipe's values (an empty list when nothing is). Base existence is the caller's check. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (kind == null) {
            problems.add(new Problem("kind", "is required: one of " + KIND_NAMES));
        } else if (!KINDS.contains(kind)) {
            problems.add(new Problem("kind", "must be one of " + KIND_NAMES));
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
        if (CORRUPTION.equals(kind)) {
            corruptionProblems(problems);
        } else {
            for (String[] unused : new String[][] {{"corruption", corruption}, {"source", source}}) {
                if (unused[1] != null) {
                    problems.add(new Problem(unused[0], "is only used by corruption"));
                }
            }
            if (severity != null) {
                problems.add(new Problem("severity", "is only used by corruption"));
            }
            if (trainFraction != null) {
                problems.add(new Problem("trainFraction", "is only used by corruption"));
            }
        }
        if (seed != null && seed < 0) {
            problems.add(new Problem("seed", "must be >= 0"));
        }
        return problems;
    }

    private void corruptionProblems(List<Problem> problems) {
        if (half != null) {
            problems.add(new Problem("half", "is only used by halves"));
        }
        if (perClass != null) {
            problems.add(new Problem("perClass", "is not used by corruption (see trainFraction)"));
        }
        if (fraction != null) {
            problems.add(new Problem("fraction", "is not used by corruption (see trainFraction)"));
        }
        if (corruption == null) {
            problems.add(new Problem("corruption", "is required for corruption: one of " + CORRUPTIONS));
        } else if (!CORRUPTIONS.contains(corruption)) {
            problems.add(new Problem("corruption", "must be one of " + CORRUPTIONS));
        }
        if (severity == null) {
            problems.add(new Problem("severity", "is required for corruption: 1 to " + MAX_SEVERITY));
        } else if (severity < 1 || severity > MAX_SEVERITY) {
            problems.add(new Problem("severity", "must be 1 to " + MAX_SEVERITY));
        }
        if (source != null && !source.equals("train") && !source.equals("test")) {
            problems.add(new Problem("source", "must be \"train\" or \"test\" (the base's split to corrupt)"));
        }
        if (trainFraction != null && !(trainFraction >= 0 && trainFraction < 1)) {
            problems.add(new Problem("trainFraction", "must be >= 0 and < 1 (0: every corrupted image is in test)"));
        }
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
        map.put("corruption", r.corruption);
        map.put("severity", r.severity);
        map.put("source", r.source);
        map.put("trainFraction", r.trainFraction);
        return Canonical.json(map);
    }

    public String id() {
        return ID_PREFIX + Canonical.sha256Hex(canonicalJson());
    }

    public static boolean isDerivedId(String id) {
        return id != null && id.startsWith(ID_PREFIX) && id.length() == ID_PREFIX.length() + 64;
    }
}
