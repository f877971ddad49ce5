package io.ticketfoundry.worker.data.corruption;

import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.worker.data.RawImages;

/**
 * The splits of a {@code corruption} recipe: the base's {@code source} split, every image corrupted
 * ({@link Corruptions#apply}), then divided class-balanced by {@link ClassBalancedSelection} with
 * the recipe's seed: {@code round(trainFraction × n_c)} of every class c is train, the rest test
 * (CIFAR-10's 10,000 test images at 0.9: 9,000 / 1,000). Both splits keep index order.
 */
public final class CorruptedSplits {

    private CorruptedSplits() {
    }

    /** The whole corrupted source split, before it is divided. */
    public static RawImages corrupt(RawImages source, DatasetRecipe recipe) {
        DatasetRecipe r = recipe.withDefaults();
        return Corruptions.apply(source, r.corruption(), r.severity(), r.seed());
    }

    /** The train ({@code train} true) or test split of an already corrupted source. */
    public static RawImages select(RawImages corrupted, DatasetRecipe recipe, int numClasses, boolean train, String datasetId) {
        DatasetRecipe r = recipe.withDefaults();
        ClassBalancedSelection.Partition partition = ClassBalancedSelection.apply(r, corrupted.labels(), numClasses);
        if (train && partition.taken().length == 0) {
            throw new IllegalArgumentException("dataset " + datasetId + " has no training examples (trainFraction "
                    + r.trainFraction() + "): it is for evaluation only");
        }
        return corrupted.select(train ? partition.taken() : partition.rest());
    }
}
