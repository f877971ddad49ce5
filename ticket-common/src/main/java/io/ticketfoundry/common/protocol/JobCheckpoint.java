package io.ticketfoundry.common.protocol;

import java.time.Instant;

/**
 * The latest epoch checkpoint recorded for a job: a later lease of the same job (its worker died
 * or lost the lease) downloads it by {@code sha256} and continues from {@code epoch}/{@code step}
 * instead of training the level from its start.
 */
public record JobCheckpoint(String sha256, int epoch, long step, Instant recordedAt) {
}
