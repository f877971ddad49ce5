/**
 * The trainer worker's engine: DJL on the PyTorch engine, organised by concern.
 *
 * <ul>
 *   <li>{@code model}: the model registry and reference-named parameters (LeNet-300-100), seeded init.
 *   <li>{@code data}: IDX reading (raw or gzip), dataset location under a root, in-engine datasets.
 *   <li>{@code train}: the training loop, optimizers, data order, progress and cancellation hooks.
 *   <li>{@code prune}: masks and magnitude pruning.
 *   <li>{@code lottery}: one IMP level ({@link io.ticketfoundry.worker.lottery.LevelRunner}), rewinding.
 *   <li>{@code evaluate}: accuracy, ECE, NLL and Brier with their conventions.
 *   <li>{@code io}: weights and masks to and from safetensors, atomic file writes.
 * </ul>
 *
 * <p>Conventions a run records in its provenance: pruning counts exclude ignored tensors
 * ({@code ignored-excluded}); {@code ceil(fraction × remaining)} on the decimal fraction, per
 * group; ties by tensor order then flat index; levels above 0 retrain from the rewind step to the
 * end of the schedule (open_lth); the data order is a permutation per (seed, level, epoch).
 */
package io.ticketfoundry.worker;
