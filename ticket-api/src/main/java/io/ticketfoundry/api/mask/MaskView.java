package io.ticketfoundry.api.mask;

import io.ticketfoundry.api.ticket.TicketViews.ArtifactLink;
import io.ticketfoundry.api.ticket.TicketViews.WeightCount;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A mask made elsewhere and uploaded: the architecture and class count it was validated against,
 * its weights kept per prunable tensor, the stored mask (U8, the model's tensor order) and, when
 * given, the weights to start from. {@code uploadedSha256} is the file as it was sent;
 * {@code ignoredTensors} are all-ones masks of tensors never pruned here (biases, BatchNorm).
 */
public record MaskView(UUID id, String name, String description, String model, int numClasses, double sparsity,
        WeightCount prunable, Map<String, WeightCount> layers, List<String> ignoredTensors, ArtifactLink mask,
        ArtifactLink weights, String uploadedSha256, Instant createdAt) {
}
