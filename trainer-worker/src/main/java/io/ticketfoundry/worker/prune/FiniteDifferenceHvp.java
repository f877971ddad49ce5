package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Hessian-vector product H v of a loss over the prunable weights, from gradients only:
 * central differences {@code (∇L(w + εv) − ∇L(w − εv)) / 2ε} in float64.
 *
 * <p>Why not the engine's double backward: DJL's public {@code GradientCollector} has no
 * {@code create_graph}; the engine call underneath ({@code JniUtils.backward(..., createGraph)})
 * does compute exact products (a test checks ours against it), but it leaves each parameter's
 * gradient holding the graph that holds the parameter, a reference cycle PyTorch itself warns
 * about and that only {@code param.grad = None} breaks, which DJL cannot do: every call would
 * leak the network and its graph in a long-running worker (measured: the resident memory grows
 * by the network and graph size on every call).
 *
 * <p>Step: {@code ε = h (1 + ‖w‖) / ‖v‖} with {@code h = }{@value #RELATIVE_STEP} and the norms
 * over all prunable weights, so the weights move by a relative {@code h} whatever the scale of v
 * (GraSP's temperature makes g tiny). In float64 the rounding error of the gradients stays far
 * below the products at that step (the tests hold it to 1e-5 of the largest entry against exact
 * products), and the truncation error is O(ε²).
 *
 * <p>Kinks: ReLU and max pooling make the gradient piecewise smooth. A unit that changes side
 * between w and w ± εv (rare: its input must lie within a relative {@code h} of the threshold)
 * makes the gradient of the weights feeding it jump on that side, which a difference turns into
 * an error of order jump/ε. The gradient at w itself (GraSP has it anyway) gives both one-sided
 * differences {@code d+ = (∇L(w+εv) − ∇L(w))/ε} and {@code d− = (∇L(w) − ∇L(w−εv))/ε}; where they
 * differ by more than {@value #AGREEMENT} of the larger (and more than the rounding floor) the
 * entry takes the one of smaller magnitude, the side without the jump, which is w's own side.
 * The weights fed <em>by</em> such a unit see no jump, only a change of slope in that one unit's
 * and sample's contribution; those entries get one side's curvature for it (which one is not
 * decided), an error bounded by that single contribution.
 */
final class FiniteDifferenceHvp {

    static final double RELATIVE_STEP = 1e-8;
    static final double AGREEMENT = 0.5;
    /** Below this multiple of max|∇L(w)| / ε, differences are rounding noise. */
    static final double NOISE = 1e-10;

    /** H v for the requested tensors, the step taken and how many entries used one side. */
    record Result(Map<String, double[]> product, double step, long oneSided) {
    }

    private FiniteDifferenceHvp() {
    }

    /**
     * @param network its prunable weights are w on entry and on return
     * @param w copies of the prunable weights
     * @param gradientAtW ∇L(w) over every prunable weight
     * @param v the direction over every prunable weight
     * @param gradient ∇L at the network's current weights
     * @param wanted the tensors whose products are returned
     */
    static Result compute(ScoringNetwork network, Map<String, NDArray> w, Map<String, NDArray> gradientAtW,
            Map<String, NDArray> v, Supplier<Map<String, NDArray>> gradient, List<String> wanted) {
        double wNorm = norm(w);
        double vNorm = norm(v);
        Map<String, double[]> product = new LinkedHashMap<>();
        if (vNorm == 0) {
            for (String name : wanted) {
                product.put(name, new double[Math.toIntExact(w.get(name).size())]);
            }
            return new Result(product, 0, 0);
        }
        double step = RELATIVE_STEP * (1 + wNorm) / vNorm;
        Map<String, NDArray> plus;
        Map<String, NDArray> minus;
        try {
            network.setWeights(w, v, step);
            plus = gradient.get();
            network.setWeights(w, v, -step);
            minus = gradient.get();
        } finally {
            network.setWeights(w, v, 0);
        }
        double maxGradient = 0;
        for (NDArray g : gradientAtW.values()) {
            maxGradient = Math.max(maxGradient, g.abs().max().getDouble());
        }
        double floor = NOISE * maxGradient / step;
        long oneSided = 0;
        for (String name : wanted) {
            double[] g0 = ScoringNetwork.values(gradientAtW.get(name));
            double[] gp = ScoringNetwork.values(plus.get(name));
            double[] gm = ScoringNetwork.values(minus.get(name));
            double[] hv = new double[g0.length];
            for (int i = 0; i < hv.length; i++) {
                double dPlus = (gp[i] - g0[i]) / step;
                double dMinus = (g0[i] - gm[i]) / step;
                if (Math.abs(dPlus - dMinus) <= AGREEMENT * Math.max(Math.abs(dPlus), Math.abs(dMinus)) + floor) {
                    hv[i] = (gp[i] - gm[i]) / (2 * step);
                } else {
                    hv[i] = Math.abs(dPlus) <= Math.abs(dMinus) ? dPlus : dMinus;
                    oneSided++;
                }
            }
            product.put(name, hv);
        }
        return new Result(product, step, oneSided);
    }

    private static double norm(Map<String, NDArray> arrays) {
        double sum = 0;
        for (NDArray a : arrays.values()) {
            sum += a.mul(a).sum().getDouble();
        }
        return Math.sqrt(sum);
    }
}
