package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LeNet-300-100 on flattened 28×28 images. Reference definition (PyTorch):
 *
 * <pre>
 * class LeNet300100(nn.Module):
 *     def __init__(self):
 *         super().__init__()
 *         self.fc1 = nn.Linear(784, 300)
 *         self.fc2 = nn.Linear(300, 100)
 *         self.fc3 = nn.Linear(100, 10)
 *     def forward(self, x):
 *         x = x.view(x.size(0), -1)
 *         return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
 * </pre>
 */
public final class LeNet300100 implements ModelDefinition {

    public static final String NAME = "lenet-300-100";

    private static final int[] WIDTHS = {784, 300, 100, 10};

    private static final List<ParameterSpec> PARAMETERS = buildParameters();

    private static List<ParameterSpec> buildParameters() {
        List<ParameterSpec> specs = new java.util.ArrayList<>();
        for (int layer = 1; layer < WIDTHS.length; layer++) {
            int in = WIDTHS[layer - 1];
            int out = WIDTHS[layer];
            specs.add(new ParameterSpec("fc" + layer + ".weight", new long[] {out, in}, true, in));
            specs.add(new ParameterSpec("fc" + layer + ".bias", new long[] {out}, false, in));
        }
        return List.copyOf(specs);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Shape sampleShape() {
        return new Shape(WIDTHS[0]);
    }

    @Override
    public int numClasses() {
        return WIDTHS[WIDTHS.length - 1];
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public Network newNetwork() {
        SequentialBlock block = new SequentialBlock();
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (int layer = 1; layer < WIDTHS.length; layer++) {
            Linear linear = Linear.builder().setUnits(WIDTHS[layer]).build();
            block.add(linear);
            if (layer < WIDTHS.length - 1) {
                block.add(Activation::relu);
            }
            byName.put("fc" + layer + ".weight", linear.getParameters().get("weight"));
            byName.put("fc" + layer + ".bias", linear.getParameters().get("bias"));
        }
        return new Network(this, block, byName);
    }

    @Override
    public Weights initialWeights(long seed) {
        return Initialization.kaimingNormal(this, seed);
    }
}
