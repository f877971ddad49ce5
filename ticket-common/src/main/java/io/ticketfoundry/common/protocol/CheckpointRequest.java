package io.ticketfoundry.common.protocol;

/**
 * A worker recording an epoch checkpoint of the level it is running: the SHA-256 of a file it has
 * already uploaded under the same lease, and the epoch and global step the file was taken at.
 */
public record CheckpointRequest(long fencingToken, String sha256, int epoch, long step) {
}
