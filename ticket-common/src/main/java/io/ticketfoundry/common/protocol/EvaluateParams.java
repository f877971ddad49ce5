package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ticketfoundry.common.spec.EvaluationSpec;

/**
 * An evaluate job: score the job's ticket on {@code data} with the binning of {@code evaluation}.
 * Inputs are normalised with the statistics of the dataset the ticket was trained on (the model
 * sees data as in training, as CIFAR-10-C evaluations do).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluateParams(DataSelection data, EvaluationSpec evaluation) {
}
