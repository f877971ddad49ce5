package io.ticketfoundry.worker.bench;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.train.TrainingLoop;
import io.ticketfoundry.worker.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints training throughput (samples/s) of LeNet-300-100 at batch 128 with SGD and Adam on
 * generated data with the shape of MNIST. Arguments: [samples] [epochs], default 60000 2.
 * Not a test: run it by hand on an otherwise idle machine.
 */
public final class TrainingThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path root = Files.createTempDirectory("throughput-bench");
        SyntheticIdx.write(root, DatasetInfo.MNIST, samples, 100, 1, false);
        ModelDefinition model = new LeNet300100();
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = new DatasetLoader(root).load(manager, "mnist", Split.TRAIN)) {
            // the first pass warms up the JIT and the native library; only the second is representative
            for (String pass : new String[] {"warm-up", "measured"}) {
                for (String optimizer : new String[] {TrainingSpec.SGD, TrainingSpec.ADAM}) {
                    for (boolean masked : new boolean[] {false, true}) {
                        TrainingSpec spec = new TrainingSpec(optimizer, optimizer.equals(TrainingSpec.SGD) ? 0.1 : 1.2e-3,
                                0.0, 0.0, 128, epochs);
                        long start = System.nanoTime();
                        TrainingResult result = TrainingLoop.builder()
                                .setModel(model).setTraining(spec).setData(train)
                                .setInitialWeights(model.initialWeights(7))
                                .optMask(masked ? halfPruned(model) : Mask.allOnes(model)).setSeed(7)
                                .build().run();
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf("%-8s %-4s %-6s batch 128, %d x %d epochs: %6.0f samples/s (%.2f s, loss %.4f, RSS %s)%n",
                                pass, optimizer, masked ? "masked" : "dense", samples, epochs,
                                (double) samples * epochs / seconds, seconds, result.lastEpochMeanLoss(), residentMemory());
                    }
                }
            }
        }
    }

    private static String residentMemory() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Mask halfPruned(ModelDefinition model) {
        java.util.Map<String, byte[]> values = new java.util.LinkedHashMap<>();
        for (var spec : model.prunableParameters()) {
            byte[] v = new byte[spec.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) (i % 2);
            }
            values.put(spec.name(), v);
        }
        return Mask.of(model, values);
    }

    private TrainingThroughputBenchmark() {
    }
}
