package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.common.spec.ExperimentSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One IMP level to run. At level 0 the three input paths are null (the level starts from the
 * seeded initialisation); at level L ≥ 1 they name level L−1's mask and trained weights and the
 * experiment's rewind point (written by level 0). Outputs go to {@code outputDir}.
 *
 * <p>A control job ({@code control} not null, level ≥ 1) trains a control of the IMP ticket of
 * the same level: {@code parentMask} is that ticket's mask, {@code rewindPoint} its rewind point.
 * <p>A transfer ({@code control} {@value #TRANSFER} or {@value #TRANSFER_RANDOM}, any level) retrains
 * a source ticket of another dataset: {@code parentMask} and {@code rewindPoint} are the source's. A
 * mask uploaded without weights has no {@code rewindPoint}: the start is the spec's initialisation under the seed.
 * <p>{@code resumeCheckpoint}, when set, is an epoch checkpoint of an earlier attempt at this level.
 */
public record LevelTask(
        ExperimentSpec resolvedSpec,
        long seed,
        int level,
        Path parentMask,
        Path parentWeights,
        Path rewindPoint,
        Path outputDir,
        String control,
        Path resumeCheckpoint) {

    /** An IMP level (no control), from its beginning. */
    public LevelTask(ExperimentSpec resolvedSpec, long seed, int level, Path parentMask, Path parentWeights,
            Path rewindPoint, Path outputDir) {
        this(resolvedSpec, seed, level, parentMask, parentWeights, rewindPoint, outputDir, null, null);
    }

    /** A level from its beginning, a control when {@code control} is not null. */
    public LevelTask(ExperimentSpec resolvedSpec, long seed, int level, Path parentMask, Path parentWeights,
            Path rewindPoint, Path outputDir, String control) {
        this(resolvedSpec, seed, level, parentMask, parentWeights, rewindPoint, outputDir, control, null);
    }

    /** The same task, resumed from an epoch checkpoint of an earlier attempt at it. */
    public LevelTask withResumeCheckpoint(Path checkpoint) {
        return new LevelTask(resolvedSpec, seed, level, parentMask, parentWeights, rewindPoint, outputDir, control,
                checkpoint);
    }

    public LevelTask {
        Objects.requireNonNull(resolvedSpec, "resolvedSpec");
        Objects.requireNonNull(outputDir, "outputDir");
        if (level < 0) {
            throw new IllegalArgumentException("level must be >= 0, is " + level);
        }
        if (isTransfer(control)) {
            if (parentMask == null) {
                throw new IllegalArgumentException("a transfer needs the source's mask");
            }
        } else if (level > 0 && (parentMask == null || parentWeights == null || rewindPoint == null)) {
            throw new IllegalArgumentException("level " + level + " needs parentMask, parentWeights and rewindPoint");
        }
        if (control != null && level == 0 && !isTransfer(control)) {
            throw new IllegalArgumentException("a control (" + control + ") needs a ticket of level >= 1");
        }
    }

    public static final String TRANSFER = "transfer";
    public static final String TRANSFER_RANDOM = "transfer-random";

    public static boolean isTransfer(String control) {
        return TRANSFER.equals(control) || TRANSFER_RANDOM.equals(control);
    }

    public boolean transfer() {
        return isTransfer(control);
    }

    public static LevelTask first(ExperimentSpec resolvedSpec, long seed, Path outputDir) {
        return new LevelTask(resolvedSpec, seed, 0, null, null, null, outputDir);
    }
}
