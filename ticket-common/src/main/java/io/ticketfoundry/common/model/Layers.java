package io.ticketfoundry.common.model;

import java.util.function.Consumer;

/**
 * The vocabulary a model's architecture is written in, once, and read twice: once to list the
 * state_dict (names, shapes, dtypes) and once to build the DJL block. Names are the PyTorch module
 * paths of the reference definition; layers are declared in the reference's registration order,
 * which is also its forward order for every model here.
 */
public interface Layers {

    /** {@code nn.Conv2d(in, out, kernel, stride, padding, bias=bias)}: {@code name.weight} [out, in, k, k]. */
    void conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias);

    /** {@code nn.BatchNorm2d(channels)}: weight, bias, running_mean, running_var, num_batches_tracked. */
    void batchNorm(String name, int channels);

    /** {@code nn.Linear(in, out)}: {@code name.weight} [out, in] and {@code name.bias} [out]. */
    void linear(String name, int in, int out);

    void relu();

    /**
     * A hidden dropout slot, declared after each hidden activation of the fully connected part
     * (convolutional blocks have {@link #convDropout()} slots instead). It holds no tensors; the
     * block has a dropout there only when built with a rate above 0 (objectives with stochastic
     * forward passes), active in training only.
     */
    void hiddenDropout();

    /**
     * A convolutional dropout slot, declared right after the activation that ends a convolutional
     * block: after a convolution's ReLU (before a max pool that follows it), after a conv-BN-ReLU
     * module's ReLU, and after the {@code relu(main + shortcut)} of a residual block (never inside
     * the block or after a ResNet stem). It holds no tensors; the block has a dropout there only
     * when built with a rate above 0 and the {@code hidden-and-conv} placement.
     */
    void convDropout();

    /** {@code nn.MaxPool2d(kernel, stride, padding)}. */
    void maxPool(int kernel, int stride, int padding);

    /** {@code nn.AvgPool2d(kernel)} (stride = kernel). */
    void avgPool(int kernel);

    /** Average over all spatial positions, giving [N, C]. */
    void globalAvgPool();

    /** {@code torch.flatten(x, 1)}. */
    void flatten();

    /**
     * {@code relu(main(x) + shortcut(x))}; a null shortcut is the identity. The main path's layers
     * are declared before the shortcut's, as in torchvision's BasicBlock and open_lth's Block.
     */
    void residual(Consumer<Layers> main, Consumer<Layers> shortcut);
}
