package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.common.spec.ExperimentSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One IMP level to run. At level 0 the three input paths are null (the level starts from the
 * seeded initialisation); at level L ≥ 1 they name level L−1's mask and trained weights and the
 * experiment's rewind point (written by level 0). Outputs go to {@code outputDir}.
 * {@code resumeCheckpoint}, when set, is an epoch checkpoint of an earlier attempt at this level.
 */
public record LevelTask(
        ExperimentSpec resolvedSpec,
        long seed,
        int level,
        Path parentMask,
        Path parentWeights,
        Path rewindPoint,
        Path outputDir,
        Path resumeCheckpoint) {

    /** A task that starts the level from its beginning. */
    public LevelTask(ExperimentSpec resolvedSpec, long seed, int level, Path parentMask, Path parentWeights,
            Path rewindPoint, Path outputDir) {
        this(resolvedSpec, seed, level, parentMask, parentWeights, rewindPoint, outputDir, null);
    }

    /** The same task, resumed from an epoch checkpoint of an earlier attempt at it. */
    public LevelTask withResumeCheckpoint(Path checkpoint) {
        return new LevelTask(resolvedSpec, seed, level, parentMask, parentWeights, rewindPoint, outputDir, checkpoint);
    }

    public LevelTask {
        Objects.requireNonNull(resolvedSpec, "resolvedSpec");
        Objects.requireNonNull(outputDir, "outputDir");
        if (level < 0) {
            throw new IllegalArgumentException("level must be >= 0, is " + level);
        }
        if (level > 0 && (parentMask == null || parentWeights == null || rewindPoint == null)) {
            throw new IllegalArgumentException("level " + level + " needs parentMask, parentWeights and rewindPoint");
        }
    }

    public static LevelTask first(ExperimentSpec resolvedSpec, long seed, Path outputDir) {
        return new LevelTask(resolvedSpec, seed, 0, null, null, null, outputDir);
    }
}
