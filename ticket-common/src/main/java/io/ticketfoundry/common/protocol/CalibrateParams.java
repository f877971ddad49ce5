package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ticketfoundry.common.spec.EvaluationSpec;
import java.util.List;

/**
 * A calibrate job: fit post-hoc calibration of the job's ticket on {@code fit} (held-out data)
 * and report the metrics before and after on {@code evaluate}.
 *
 * <p>{@code temperature}: one scalar T > 0 minimising the mean NLL of {@code softmax(z / T)} on
 * {@code fit} (Guo et al. 2017). The calibrated ticket's weights have the output layer's weight
 * and bias divided by T, so the file alone reproduces {@code z / T} in any framework.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CalibrateParams(String method, DataSelection fit, DataSelection evaluate, EvaluationSpec evaluation) {

    public static final String TEMPERATURE = "temperature";
    public static final List<String> METHODS = List.of(TEMPERATURE);
}
