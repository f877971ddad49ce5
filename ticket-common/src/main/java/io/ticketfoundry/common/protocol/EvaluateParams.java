package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ticketfoundry.common.spec.EvaluationSpec;
import java.util.List;
import java.util.UUID;

/**
 * An evaluate job: score the job's ticket on {@code data} with the binning of {@code evaluation}.
 * Inputs are normalised with the statistics of the dataset the ticket was trained on (the model
 * sees data as in training, as CIFAR-10-C evaluations do).
 *
 * <p>Optional robustness parts, each computed only when present (absent parts leave the params
 * JSON, and so the request hash, as it was before they existed):
 * <ul>
 *   <li>{@code ood}: out-of-distribution detection, {@code data} against another dataset or
 *       Gaussian-noise images ({@code ood-auroc});
 *   <li>{@code fgsm}: robust accuracy on {@code data} under FGSM at each ε ({@code fgsm-accuracy});
 *   <li>{@code corruptions}: the metrics on every listed corrupted set and the mCE normalised by
 *       the ticket {@code referenceTicketId} ({@code mce}).
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluateParams(DataSelection data, EvaluationSpec evaluation, OodParams ood, FgsmParams fgsm,
        List<CorruptedSet> corruptions, UUID referenceTicketId) {

    /** Plain classification metrics, no robustness parts. */
    public EvaluateParams(DataSelection data, EvaluationSpec evaluation) {
        this(data, evaluation, null, null, null, null);
    }

    /** The same request with other data and binning (defaults filled in), the robustness parts kept. */
    public EvaluateParams withData(DataSelection otherData, EvaluationSpec otherEvaluation) {
        return new EvaluateParams(otherData, otherEvaluation, ood, fgsm, corruptions, referenceTicketId);
    }
}
