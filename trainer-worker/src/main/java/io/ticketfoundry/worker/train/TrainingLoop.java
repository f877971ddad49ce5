package io.ticketfoundry.worker.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.Augmentation;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.loss.Objectives;
import io.ticketfoundry.worker.loss.TrainingObjective;
import io.ticketfoundry.worker.model.HiddenDropout;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Trains a model with the spec's objective (softmax cross-entropy for {@code basic}, see
 * {@link io.ticketfoundry.worker.loss}) on an in-memory dataset: one DJL trainer, batches
 * gathered on the engine by index, native memory of every step freed with the step's
 * sub-manager, and the mask multiplied into the weights in place after every optimizer step, so
 * pruned weights are exactly zero whenever anyone looks.
 *
 * <p>An epoch is {@code ceil(N / batchSize)} steps (the last batch may be short). Steps are
 * counted from the initialisation; a run may start at a later step ({@link Builder#optStartStep}),
 * in which case it begins mid-schedule at that step's epoch and batch, as open_lth does when it
 * retrains from a late rewind point.
 *
 * <p>A run may also resume from a {@link TrainingState} ({@link Builder#optResumeFrom}) that an
 * earlier run handed to {@link TrainingCallback#afterEpoch}: weights, optimizer state and step
 * counter come back exactly, and since the data order is a function of (seed, level, epoch), the
 * resumed run takes the same steps as an uninterrupted one and ends bit-identical to it (same
 * engine, device and thread count). Nothing here draws from the engine's global random state:
 * mixup's draws and the dropout masks of stochastic passes are seeded from (seed, level, epoch,
 * step[, pass]).
 *
 * <p>With {@link Builder#optMaskDynamics} the mask may change during the run (dynamic sparse
 * training): the dynamics' hooks run before the forward passes and between the backward pass and
 * the optimizer step of every step, and whatever mask they leave is applied after the step.
 */
public final class TrainingLoop {

    private final ModelDefinition model;
    private final TrainingSpec training;
    private final InMemoryDataset data;
    private final Augmentation augmentation;
    private final Weights initialWeights;
    private final Mask mask;
    private final MaskDynamics dynamics;
    private final long seed;
    private final int level;
    private final long startStep;
    private final OptimizerState resumeOptimizer;
    private final TrainingCallback callback;
    private final BooleanSupplier cancelRequested;
    private final int cancelCheckInterval;
    private final int progressInterval;

    private TrainingLoop(Builder builder) {
        model = Objects.requireNonNull(builder.model, "model");
        training = Objects.requireNonNull(builder.training, "training").withDefaults();
        data = Objects.requireNonNull(builder.data, "data");
        initialWeights = builder.resumeFrom != null ? builder.resumeFrom.weights()
                : Objects.requireNonNull(builder.initialWeights, "initialWeights");
        dynamics = builder.dynamics;
        mask = dynamics != null ? dynamics.mask() : builder.mask != null ? builder.mask : Mask.allOnes(model);
        seed = builder.seed;
        level = builder.level;
        startStep = builder.resumeFrom != null ? builder.resumeFrom.step() : builder.startStep;
        resumeOptimizer = builder.resumeFrom != null ? builder.resumeFrom.optimizer() : null;
        callback = builder.callback;
        cancelRequested = builder.cancelRequested;
        cancelCheckInterval = builder.cancelCheckInterval;
        progressInterval = builder.progressInterval;
        augmentation = builder.augmentation;
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training set " + data.name() + " is empty");
        }
        if (training.batchSize() <= 0 || training.epochs() < 0) {
            throw new IllegalArgumentException("batchSize must be > 0 and epochs >= 0");
        }
        if (startStep < 0 || startStep > totalSteps()) {
            throw new IllegalArgumentException("start step " + startStep + " is outside the run's " + totalSteps() + " steps");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static long iterationsPerEpoch(int datasetSize, int batchSize) {
        return (datasetSize + (long) batchSize - 1) / batchSize;
    }

    public long iterationsPerEpoch() {
        return iterationsPerEpoch(data.size(), training.batchSize());
    }

    public long totalSteps() {
        return iterationsPerEpoch() * training.epochs();
    }

    public TrainingResult run() {
        int batchSize = training.batchSize();
        int n = data.size();
        long perEpoch = iterationsPerEpoch();
        try (Model djlModel = Model.newInstance(model.name())) {
            // PyTorch's grad mode is per thread: DJL turns it off only on the thread that started the
            // engine, and a gradient collector restores the mode it found. The in-place mask updates
            // on parameters need it off, so a loop run on any other thread sets it here.
            if ("PyTorch".equals(djlModel.getNDManager().getEngine().getEngineName())) {
                ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            }
            TrainingObjective objective = Objectives.of(training.objective());
            HiddenDropout dropout = objective.dropout() > 0
                    ? new HiddenDropout(objective.dropout(), objective.convDropout()) : HiddenDropout.NONE;
            Network network = dropout.rate() > 0 ? model.newNetwork(dropout) : model.newNetwork();
            djlModel.setBlock(network.block());
            // One device: by default DJL would take every GPU, and this loop does not split batches.
            // the schedule counts from the run's first step, which a resumed run has already passed
            long runStartStep = resumeOptimizer != null ? startStep - resumeOptimizer.updates() : startStep;
            StatefulOptimizer optimizer = OptimizerFactory.create(training, perEpoch, totalSteps(), runStartStep);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {djlModel.getNDManager().getDevice()});
            try (Trainer trainer = djlModel.newTrainer(config)) {
                network.initializeWith(initialWeights);
                trainer.initialize(new Shape(1).addAll(model.sampleShape()));
                List<NDArray[]> maskPairs = maskArrays(network, trainer.getManager(), mask);
                applyMask(maskPairs);
                Map<String, String> parameterIds = new LinkedHashMap<>();
                for (ParameterSpec p : model.parameters()) {
                    parameterIds.put(p.name(), network.parameter(p.name()).getId());
                }
                if (resumeOptimizer != null) {
                    optimizer.restore(resumeOptimizer, parameterIds);
                }

                long step = startStep;
                checkCancel(step);
                callback.afterStep(step, network::currentWeights);
                double epochLoss = Double.NaN;
                for (int epoch = (int) (startStep / perEpoch); epoch < training.epochs(); epoch++) {
                    long firstBatch = epoch == startStep / perEpoch ? startStep % perEpoch : 0;
                    double lossSum = 0;
                    long lossCount = 0;
                    try (NDManager epochManager = trainer.getManager().newSubManager()) {
                        NDArray order = epochManager.create(EpochOrder.permutation(n, seed, level, epoch));
                        for (long batch = firstBatch; batch < perEpoch; batch++) {
                            long begin = batch * batchSize;
                            long end = Math.min(begin + batchSize, n);
                            try (NDManager stepManager = trainer.getManager().newSubManager()) {
                                NDArray indices = order.get(stepManager, new NDIndex().addSliceDim(begin, end));
                                NDIndex rows = new NDIndex("{}", indices);
                                NDArray x = data.features().get(stepManager, rows);
                                if (augmentation != null) {
                                    x = augmentation.apply(x, Augmentation.seed(seed, level, epoch, step));
                                }
                                NDArray y = data.labels().get(stepManager, rows);
                                TrainingObjective.Batch prepared = objective.prepare(x, y, model.numClasses(),
                                        Seeds.derive(seed, "objective", level, epoch, step));
                                Access access = dynamics == null ? null
                                        : new Access(network, optimizer, parameterIds, stepManager);
                                if (dynamics != null) {
                                    dynamics.beforeForward(step, access);
                                }
                                try (GradientCollector collector = trainer.newGradientCollector()) {
                                    NDList output = new NDList();
                                    for (int pass = 0; pass < objective.passes(); pass++) {
                                        if (dropout.rate() > 0) {
                                            dropout.reseed(Seeds.derive(seed, "dropout", level, epoch, step, pass));
                                        }
                                        output.add(trainer.forward(new NDList(prepared.x())).singletonOrThrow());
                                    }
                                    NDArray loss = objective.loss(output, prepared.targets());
                                    collector.backward(loss);
                                    lossSum += loss.getFloat();
                                    lossCount++;
                                }
                                if (dynamics != null && dynamics.afterBackward(step, access)) {
                                    closeMasks(maskPairs);
                                    maskPairs = maskArrays(network, trainer.getManager(), dynamics.mask());
                                }
                                trainer.step();
                                applyMask(maskPairs);
                            }
                            step++;
                            callback.afterStep(step, network::currentWeights);
                            if (step % progressInterval == 0) {
                                callback.progress(epoch + 1, step, lossSum / lossCount);
                            }
                            if (step % cancelCheckInterval == 0) {
                                checkCancel(step);
                            }
                        }
                    }
                    epochLoss = lossCount > 0 ? lossSum / lossCount : Double.NaN;
                    callback.progress(epoch + 1, step, epochLoss);
                    long stepAtEnd = step;
                    callback.afterEpoch(epoch + 1, step, () -> new TrainingState(stepAtEnd, network.currentWeights(),
                            optimizer.export(parameterIds)));
                }
                return new TrainingResult(network.currentWeights(), step, epochLoss);
            }
        }
    }

    /** (parameter array, mask array) for every prunable tensor that has pruned weights. */
    private List<NDArray[]> maskArrays(Network network, NDManager manager, Mask mask) {
        List<NDArray[]> pairs = new ArrayList<>();
        for (ParameterSpec spec : model.prunableParameters()) {
            if (!mask.isDense(spec.name())) {
                NDArray parameter = network.array(spec.name());
                NDArray values = manager.create(mask.asFloats(spec.name()), parameter.getShape());
                pairs.add(new NDArray[] {parameter, values});
            }
        }
        return pairs;
    }

    private static void applyMask(List<NDArray[]> pairs) {
        for (NDArray[] pair : pairs) {
            pair[0].muli(pair[1]);
        }
    }

    private static void closeMasks(List<NDArray[]> pairs) {
        for (NDArray[] pair : pairs) {
            pair[1].close();
        }
    }

    /** One step's view of the network and optimizer for {@link MaskDynamics}. */
    private static final class Access implements StepAccess {
        private final Network network;
        private final StatefulOptimizer optimizer;
        private final Map<String, String> parameterIds;
        private final NDManager manager;

        Access(Network network, StatefulOptimizer optimizer, Map<String, String> parameterIds, NDManager manager) {
            this.network = network;
            this.optimizer = optimizer;
            this.parameterIds = parameterIds;
            this.manager = manager;
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public NDArray parameter(String name) {
            return network.array(name);
        }

        @Override
        public float[] values(String name) {
            return network.array(name).toFloatArray();
        }

        @Override
        public float[] gradient(String name) {
            try (NDArray gradient = network.array(name).getGradient()) {
                return gradient.toFloatArray();
            }
        }

        @Override
        public void multiplyGradient(String name, NDArray factor) {
            try (NDArray gradient = network.array(name).getGradient()) {
                gradient.muli(factor);
            }
        }

        @Override
        public void resetOptimizerState(String name, byte[] positions) {
            String id = parameterIds.get(name);
            if (id == null) {
                throw new IllegalArgumentException("no parameter " + name);
            }
            optimizer.resetElements(id, positions);
        }
    }

    private void checkCancel(long step) {
        if (cancelRequested.getAsBoolean()) {
            throw new TrainingCancelledException(step);
        }
    }

    public static final class Builder {
        private ModelDefinition model;
        private TrainingSpec training;
        private InMemoryDataset data;
        private Weights initialWeights;
        private Mask mask;
        private MaskDynamics dynamics;
        private long seed;
        private int level;
        private long startStep;
        private TrainingState resumeFrom;
        private TrainingCallback callback = new TrainingCallback() { };
        private BooleanSupplier cancelRequested = () -> false;
        private int cancelCheckInterval = 20;
        private int progressInterval = 100;
        private Augmentation augmentation;

        private Builder() {
        }

        /** Applied to every training batch, seeded from (seed, level, epoch, step); none by default. */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder setModel(ModelDefinition model) {
            this.model = model;
            return this;
        }

        public Builder setTraining(TrainingSpec training) {
            this.training = training;
            return this;
        }

        public Builder setData(InMemoryDataset data) {
            this.data = data;
            return this;
        }

        /** Values at the start step; the mask is applied on top. */
        public Builder setInitialWeights(Weights initialWeights) {
            this.initialWeights = initialWeights;
            return this;
        }

        /** Seeds the data order together with the level and epoch. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optLevel(int level) {
            this.level = level;
            return this;
        }

        public Builder optMask(Mask mask) {
            this.mask = mask;
            return this;
        }

        /** A mask that changes during the run; it replaces {@link #optMask}. */
        public Builder optMaskDynamics(MaskDynamics dynamics) {
            this.dynamics = dynamics;
            return this;
        }

        public Builder optStartStep(long startStep) {
            this.startStep = startStep;
            return this;
        }

        /**
         * Continues a run from a state handed out by {@link TrainingCallback#afterEpoch}: its
         * weights, optimizer state and step replace {@link #setInitialWeights} and
         * {@link #optStartStep}. The mask, spec, seed and level must be those of the run that made it.
         */
        public Builder optResumeFrom(TrainingState state) {
            this.resumeFrom = state;
            return this;
        }

        public Builder optCallback(TrainingCallback callback) {
            this.callback = Objects.requireNonNull(callback);
            return this;
        }

        /** Checked before the first step and then every {@code everySteps} steps. */
        public Builder optCancellation(BooleanSupplier cancelRequested, int everySteps) {
            if (everySteps <= 0) {
                throw new IllegalArgumentException("everySteps must be positive");
            }
            this.cancelRequested = Objects.requireNonNull(cancelRequested);
            this.cancelCheckInterval = everySteps;
            return this;
        }

        public Builder optProgressInterval(int everySteps) {
            if (everySteps <= 0) {
                throw new IllegalArgumentException("everySteps must be positive");
            }
            this.progressInterval = everySteps;
            return this;
        }

        public TrainingLoop build() {
            return new TrainingLoop(this);
        }
    }
}
