package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * FGSM robust accuracy on the evaluate job's data at each ε (pixel units of the [0, 1] scale):
 * {@code x_adv = clip(x + ε·sign(∇_x CE), 0, 1)} on the pixels before normalisation.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FgsmParams(List<Double> epsilons) {

    public static final int MAX_EPSILONS = 20;
}
