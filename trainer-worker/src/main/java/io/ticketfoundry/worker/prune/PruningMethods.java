package io.ticketfoundry.worker.prune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of one-shot pruning methods, by the name a spec uses. */
public final class PruningMethods {

    public static final String RANDOM = "random";
    public static final String MAGNITUDE = "magnitude";
    public static final String SNIP = "snip";
    public static final String GRASP = "grasp";
    public static final String SYNFLOW = "synflow";

    /** BatchNorm normalises by the statistics of the scoring batch. */
    public static final String BN_TRAIN = "train";
    /** BatchNorm normalises by its running statistics. */
    public static final String BN_EVAL = "eval";

    private static final Map<String, PruningMethod> METHODS = new LinkedHashMap<>();

    static {
        for (PruningMethod method : List.of(new RandomScores(), new MagnitudeScores(), new SnipScores(),
                new GraspScores(), new SynFlowScores())) {
            METHODS.put(method.name(), method);
        }
    }

    private PruningMethods() {
    }

    public static List<String> names() {
        return List.copyOf(METHODS.keySet());
    }

    public static PruningMethod get(String name) {
        PruningMethod method = METHODS.get(name);
        if (method == null) {
            throw new IllegalArgumentException("unknown pruning method \"" + name + "\"; expected one of " + names());
        }
        return method;
    }

    /** The record entries every data-driven method shares. */
    static Map<String, Object> dataDetails(ScoringData data, ScoringBatch batch, ScoringInputs inputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", "class-balanced");
        out.put("scoringData", data.description());
        out.put("samplesPerClass", inputs.samplesPerClass());
        out.put("scoringSamples", batch.size());
        out.put("scoringSamplesPerClass", Arrays.stream(batch.perClass()).boxed().toList());
        out.put("loss", "mean cross-entropy");
        out.put("batchNorm", inputs.batchNorm());
        return out;
    }
}
