package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link OneShotPruning#prune} does: prune {@code model} at {@code weights} from {@code mask}
 * to {@code targetSparsity} over the prunable tensors not in {@code ignore}, by {@code method}.
 * Build it with {@link #builder}, which fills every default and rejects an option the method does
 * not use (as the spec validator does), so a record holds only what ran.
 *
 * @param mask the current mask (normally all ones); pruned weights stay pruned
 * @param scope {@code global} (one pool, the highest-ranked weights kept) or {@code layerwise}
 *     (each tensor keeps its count of {@link LayerDensities#keptCounts})
 * @param distribution {@code uniform} or {@code erk} for layerwise scope, null for global
 * @param ignore prunable tensors that stay as the mask has them, outside the budget
 * @param seed the random method's scores and the choice of scoring samples
 * @param scoringData samples for snip and grasp; never read by the other methods (may be null)
 * @param samplesPerClass class-balanced scoring samples per class (snip, grasp; 0 otherwise)
 * @param rounds scoring rounds with the exponential schedule (100 for synflow, 1 otherwise)
 * @param batchNorm statistics BatchNorm uses while scoring: {@code eval} or {@code train}
 *     (snip: eval, grasp: train, synflow: eval only; null for random and magnitude)
 * @param temperature logits are divided by it in GraSP's loss (200); 1 for the other methods
 */
public record OneShotRequest(
        ModelDefinition model,
        Weights weights,
        Mask mask,
        String method,
        String scope,
        String distribution,
        List<String> ignore,
        double targetSparsity,
        long seed,
        ScoringData scoringData,
        int samplesPerClass,
        int rounds,
        String batchNorm,
        double temperature) {

    public static final String GLOBAL = "global";
    public static final String LAYERWISE = "layerwise";
    public static final int DEFAULT_SAMPLES_PER_CLASS = 10;
    public static final int MAX_ROUNDS = 10_000;

    public OneShotRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(mask, "mask");
        PruningMethod resolved = PruningMethods.get(method);
        ignore = List.copyOf(ignore);
        if (!weights.specs().equals(model.parameters())) {
            throw new IllegalArgumentException("the weights do not belong to model " + model.name());
        }
        if (!mask.model().name().equals(model.name()) || !mask.model().prunableParameters().equals(model.prunableParameters())) {
            throw new IllegalArgumentException("the mask belongs to model " + mask.model().name() + ", not " + model.name());
        }
        List<String> prunable = model.prunableParameters().stream().map(ParameterSpec::name).toList();
        Set<String> seen = new HashSet<>();
        for (String name : ignore) {
            if (!prunable.contains(name)) {
                throw new IllegalArgumentException("ignore names " + name + ", which is not a prunable tensor of "
                        + model.name() + " " + prunable);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("ignore names " + name + " twice");
            }
        }
        if (seen.size() == prunable.size()) {
            throw new IllegalArgumentException("every prunable tensor of " + model.name() + " is ignored");
        }
        if (!(targetSparsity >= 0 && targetSparsity < 1)) {
            throw new IllegalArgumentException("targetSparsity must be in [0, 1), is " + targetSparsity);
        }
        if (GLOBAL.equals(scope)) {
            if (distribution != null) {
                throw new IllegalArgumentException("distribution is only used with scope " + LAYERWISE);
            }
        } else if (LAYERWISE.equals(scope)) {
            if (!LayerDensities.DISTRIBUTIONS.contains(distribution)) {
                throw new IllegalArgumentException("unknown layer distribution \"" + distribution + "\"; expected one of "
                        + LayerDensities.DISTRIBUTIONS);
            }
        } else {
            throw new IllegalArgumentException("unknown scope \"" + scope + "\"; expected " + GLOBAL + " or " + LAYERWISE);
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("rounds must be in [1, " + MAX_ROUNDS + "], is " + rounds);
        }
        if (resolved instanceof PruningMethod.DataDriven) {
            Objects.requireNonNull(scoringData, method + " needs scoring data");
            if (samplesPerClass < 1) {
                throw new IllegalArgumentException("samplesPerClass must be positive, is " + samplesPerClass);
            }
        }
        if (batchNorm != null && !PruningMethods.BN_EVAL.equals(batchNorm) && !PruningMethods.BN_TRAIN.equals(batchNorm)) {
            throw new IllegalArgumentException("batchNorm must be " + PruningMethods.BN_EVAL + " or " + PruningMethods.BN_TRAIN
                    + ", is " + batchNorm);
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0, is " + temperature);
        }
    }

    public static Builder builder(ModelDefinition model, Weights weights, String method, double targetSparsity) {
        return new Builder(model, weights, method, targetSparsity);
    }

    /** Fills the defaults of the chosen method; setting an option the method does not use is an error. */
    public static final class Builder {
        private final ModelDefinition model;
        private final Weights weights;
        private final String method;
        private final double targetSparsity;
        private Mask mask;
        private String scope = GLOBAL;
        private String distribution;
        private List<String> ignore = List.of();
        private long seed;
        private ScoringData scoringData;
        private Integer samplesPerClass;
        private Integer rounds;
        private String batchNorm;
        private Double temperature;

        private Builder(ModelDefinition model, Weights weights, String method, double targetSparsity) {
            this.model = Objects.requireNonNull(model, "model");
            this.weights = weights;
            this.method = method;
            this.targetSparsity = targetSparsity;
        }

        public Builder mask(Mask mask) {
            this.mask = mask;
            return this;
        }

        /** {@code global} (default) or {@code layerwise}. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** Layerwise only: {@code uniform} (default) or {@code erk}. */
        public Builder distribution(String distribution) {
            this.distribution = distribution;
            return this;
        }

        public Builder ignore(List<String> ignore) {
            this.ignore = ignore;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder scoringData(ScoringData scoringData) {
            this.scoringData = scoringData;
            return this;
        }

        /** snip, grasp: default {@value OneShotRequest#DEFAULT_SAMPLES_PER_CLASS}. */
        public Builder samplesPerClass(int samplesPerClass) {
            this.samplesPerClass = samplesPerClass;
            return this;
        }

        /** Default: the method's ({@link PruningMethod#defaultRounds()}). */
        public Builder rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        /** snip (default eval), grasp (default train), synflow (eval only). */
        public Builder batchNorm(String batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** grasp only: default 200. */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public OneShotRequest build() {
            PruningMethod resolved = PruningMethods.get(method);
            boolean data = resolved instanceof PruningMethod.DataDriven;
            if (!data && samplesPerClass != null) {
                throw new IllegalArgumentException("samplesPerClass is not used by method " + method);
            }
            if (temperature != null && !PruningMethods.GRASP.equals(method)) {
                throw new IllegalArgumentException("temperature is not used by method " + method);
            }
            String bn = switch (method) {
                case PruningMethods.SNIP -> batchNorm != null ? batchNorm : PruningMethods.BN_EVAL;
                case PruningMethods.GRASP -> batchNorm != null ? batchNorm : PruningMethods.BN_TRAIN;
                case PruningMethods.SYNFLOW -> {
                    if (batchNorm != null && !PruningMethods.BN_EVAL.equals(batchNorm)) {
                        throw new IllegalArgumentException("synflow scores in eval mode only: its single all-ones input "
                                + "has no batch statistics");
                    }
                    yield PruningMethods.BN_EVAL;
                }
                default -> {
                    if (batchNorm != null) {
                        throw new IllegalArgumentException("batchNorm is not used by method " + method);
                    }
                    yield null;
                }
            };
            String dist = LAYERWISE.equals(scope) && distribution == null ? LayerDensities.UNIFORM : distribution;
            return new OneShotRequest(model, weights, mask != null ? mask : Mask.allOnes(model), method, scope, dist,
                    ignore, targetSparsity, seed, scoringData,
                    data ? (samplesPerClass != null ? samplesPerClass : DEFAULT_SAMPLES_PER_CLASS) : 0,
                    rounds != null ? rounds : resolved.defaultRounds(), bn,
                    temperature != null ? temperature : PruningMethods.GRASP.equals(method)
                            ? GraspScores.DEFAULT_TEMPERATURE : 1.0);
        }
    }
}
