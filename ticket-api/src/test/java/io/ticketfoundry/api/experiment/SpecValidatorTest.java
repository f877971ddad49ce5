package io.ticketfoundry.api.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.spec.EvaluationSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SpecValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SpecValidator.Result read(String json) {
        return SpecValidator.read(JSON.readTree(json), "spec");
    }

    @Test
    void emptyAndNullSpecsAreTheDefaults() {
        assertThat(read("{}").problems()).isEmpty();
        assertThat(SpecValidator.read(null, "spec").problems()).isEmpty();
        assertThat(read("{\"training\":null,\"model\":null}").problems()).isEmpty();
    }

    @Test
    void unknownFieldsAreNamedByTheirFullPath() {
        assertThat(read("{\"training\":{\"lr\":0.1},\"seed\":3,\"pruning\":{\"fraction\":0.2,\"method\":\"x\"}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(
                        tuple("spec.training.lr", "is not a known field"),
                        tuple("spec.seed", "is not a known field"),
                        tuple("spec.pruning.method", "is not a known field"));
    }

    @Test
    void wrongTypesAreNamed() {
        assertThat(read("{\"model\":5,\"training\":{\"learningRate\":\"0.1\",\"epochs\":2.5,\"batchSize\":true},"
                + "\"pruning\":{\"levels\":1e12,\"ignore\":\"fc1.weight\",\"layerFractions\":{\"fc1.weight\":\"half\"}},"
                + "\"rewind\":[],\"evaluation\":{\"eceBins\":null}}").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.model", "spec.training.learningRate", "spec.training.epochs", "spec.training.batchSize",
                        "spec.pruning.levels", "spec.pruning.ignore", "spec.pruning.layerFractions.fc1.weight", "spec.rewind");
        assertThat(read("[]").problems()).extracting(FieldProblem::field).containsExactly("spec");
    }

    @Test
    void wholeNumbersWrittenAsDecimalsAreAccepted() {
        SpecValidator.Result result = read("{\"training\":{\"epochs\":40.0,\"batchSize\":1e2}}");
        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().training().epochs()).isEqualTo(40);
        assertThat(result.spec().training().batchSize()).isEqualTo(100);
    }

    @Test
    void everyImpossibleValueIsListedAtOnce() {
        assertThat(read("""
                {"schemaVersion":2,"model":"vgg-99","dataset":"imagenet",
                 "training":{"optimizer":"lbfgs","learningRate":0,"momentum":1,"weightDecay":-1,"batchSize":0,"epochs":100001},
                 "pruning":{"scope":"random","fraction":1,"levels":101},
                 "rewind":{"step":-1,"unit":"batches"},
                 "evaluation":{"eceBins":0,"eceEdges":"[lo,hi]","binning":"adaptive"}}""").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.schemaVersion", "spec.model", "spec.dataset",
                        "spec.training.optimizer", "spec.training.learningRate", "spec.training.momentum",
                        "spec.training.weightDecay", "spec.training.batchSize", "spec.training.epochs",
                        "spec.pruning.scope", "spec.pruning.fraction", "spec.pruning.levels",
                        "spec.rewind.unit", "spec.rewind.step", "spec.evaluation.eceBins",
                        "spec.evaluation.eceEdges", "spec.evaluation.binning");
    }

    @Test
    void typeProblemsAndValueProblemsAreReportedTogether() {
        assertThat(read("{\"training\":{\"lr\":0.1,\"epochs\":0},\"pruning\":{\"fraction\":\"a lot\"}}").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.training.lr", "spec.pruning.fraction", "spec.training.epochs");
    }

    @Test
    void tensorNamesMustBePrunableTensorsOfTheModel() {
        assertThat(read("""
                {"pruning":{"layerFractions":{"fc1.bias":0.1,"fc3.weight":1.0,"fc2.weight":0.5},
                            "ignore":["fc9.weight","fc1.weight","fc1.weight","fc2.weight"]}}""").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(
                        tuple("spec.pruning.layerFractions.fc1.bias",
                                "is not a prunable tensor of lenet-300-100 (fc1.weight, fc2.weight, fc3.weight)"),
                        tuple("spec.pruning.layerFractions.fc3.weight", "must be >= 0 and < 1"),
                        tuple("spec.pruning.ignore[0]",
                                "is not a prunable tensor of lenet-300-100 (fc1.weight, fc2.weight, fc3.weight)"),
                        tuple("spec.pruning.ignore[2]", "names fc1.weight twice"),
                        tuple("spec.pruning.ignore[3]", "is also given a fraction in layerFractions"));
    }

    @Test
    void ignoringEveryTensorLeavesNothingToPrune() {
        assertThat(read("{\"pruning\":{\"ignore\":[\"fc1.weight\",\"fc2.weight\",\"fc3.weight\"]}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.pruning.ignore");
        assertThat(read("{\"pruning\":{\"levels\":0,\"ignore\":[\"fc1.weight\",\"fc2.weight\",\"fc3.weight\"]}}").problems()).isEmpty();
    }

    @Test
    void rewindingInEpochsStaysWithinTheTrainingBudget() {
        assertThat(read("{\"training\":{\"epochs\":5},\"rewind\":{\"step\":4,\"unit\":\"epochs\"}}").problems()).isEmpty();
        assertThat(read("{\"training\":{\"epochs\":5},\"rewind\":{\"step\":5,\"unit\":\"epochs\"}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.rewind.step", "must be below the training budget of 5 epochs"));
        assertThat(read("{\"training\":{\"epochs\":5},\"rewind\":{\"step\":6000,\"unit\":\"iterations\"}}").problems()).isEmpty();
    }

    @Test
    void boundariesAreInclusiveWhereTheRangeSaysSo() {
        assertThat(read("""
                {"training":{"momentum":0,"weightDecay":0,"batchSize":65536,"epochs":100000},
                 "pruning":{"fraction":0.999,"levels":0,"layerFractions":{"fc3.weight":0}},
                 "evaluation":{"eceBins":1000}}""").problems()).isEmpty();
        assertThat(read("{\"training\":{\"learningRate\":1e400}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.learningRate");
    }

    @Test
    void aModelIsCheckedAgainstTheImageShapeOfTheDataset() {
        assertThat(read("{\"model\":\"lenet-5\",\"dataset\":\"fashion-mnist\"}").problems()).isEmpty();
        assertThat(read("{\"model\":\"conv-2\",\"dataset\":\"mnist\"}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.dataset",
                        "does not fit model conv-2 (its images are [1, 28, 28], the model takes [3, 32, 32])"));
        assertThat(read("{\"model\":\"resnet-20\",\"pruning\":{\"ignore\":[\"fc.weight\",\"bn.weight\"]}}").problems())
                .extracting(FieldProblem::field).contains("spec.pruning.ignore[1]");
    }

    @Test
    void theBinningOfEceAndSceIsOneOfTheKnownRules() {
        SpecValidator.Result defaults = read("{}");
        assertThat(defaults.problems()).isEmpty();
        assertThat(defaults.spec().withDefaults().evaluation()).isEqualTo(EvaluationSpec.defaults());
        assertThat(EvaluationSpec.defaults()).isEqualTo(new EvaluationSpec(15, "(lo,hi]", "equal-width"));
        SpecValidator.Result cigl = read("{\"evaluation\":{\"eceBins\":10,\"eceEdges\":\"[lo,hi)\",\"binning\":\"equal-mass\"}}");
        assertThat(cigl.problems()).isEmpty();
        assertThat(cigl.spec().evaluation()).isEqualTo(new EvaluationSpec(10, "[lo,hi)", "equal-mass"));
        assertThat(read("{\"evaluation\":{\"eceEdges\":\"(lo, hi]\",\"binning\":\"equal-frequency\"}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.evaluation.eceEdges", "must be one of (lo,hi], [lo,hi)"),
                        tuple("spec.evaluation.binning", "must be one of equal-width, equal-mass"));
        assertThat(read("{\"evaluation\":{\"binning\":3}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.evaluation.binning");
    }

    @Test
    void objectivesAreCheckedFieldByField() {
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}").problems()).isEmpty();
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"nba\",\"bins\":4,\"binWeights\":[2,1,1,2]}}}").problems()).isEmpty();
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"ranking\"}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.kind");
        assertThat(read("""
                {"training":{"objective":{"kind":"lwcc-si","passes":0,"dropout":1,"lambda":-1,"alpha":0.3}}}""").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(
                        tuple("spec.training.objective.alpha", "is not used by kind lwcc-si"),
                        tuple("spec.training.objective.passes", "must be between 1 and 100"),
                        tuple("spec.training.objective.dropout", "must be >= 0 and < 1"),
                        tuple("spec.training.objective.lambda", "must be a finite number >= 0"));
        assertThat(read("""
                {"training":{"objective":{"kind":"nba","gammaN":-1,"bins":1,"bandwidth":0,"binWeights":[1,-2]}}}""").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.training.objective.gammaN", "spec.training.objective.bins",
                        "spec.training.objective.bandwidth", "spec.training.objective.binWeights",
                        "spec.training.objective.binWeights[1]");
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"mixup\",\"alpha\":0}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.alpha");
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"label-smoothing\",\"epsilon\":1}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.epsilon");
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"focal\",\"gamma\":-0.5,\"gammaD\":1}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.gammaD", "spec.training.objective.gamma");
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"mda\",\"gammaD\":\"x\"}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.gammaD");
    }

    @Test
    void mdaAndNbaWeighTheirBatchTermAsTheSeedUnlessToldOtherwise() {
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"nba\"}}}").spec().withDefaults().training()
                .objective().weighting()).isEqualTo("batch-sum");
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"mda\",\"weighting\":\"batch-mean\"}}}").problems())
                .isEmpty();
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"mda\",\"weighting\":\"sum\"}}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.training.objective.weighting", "must be one of batch-sum, batch-mean"));
        assertThat(read("{\"training\":{\"objective\":{\"kind\":\"focal\",\"weighting\":\"batch-sum\"}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.weighting");
    }

    @Test
    void stochasticPassObjectivesNeedAModelWithHiddenDropoutSlots() {
        assertThat(read("{\"model\":\"resnet-20\",\"dataset\":\"cifar10\",\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}")
                .problems()).extracting(FieldProblem::field).containsExactly("spec.training.objective.kind");
        assertThat(read("{\"model\":\"resnet-20\",\"dataset\":\"cifar10\",\"training\":{\"objective\":{\"kind\":\"mixup\"}}}")
                .problems()).isEmpty();
        assertThat(read("{\"model\":\"conv-2\",\"dataset\":\"cifar10\",\"training\":{\"objective\":{\"kind\":\"lwcc-si\"}}}")
                .problems()).isEmpty();
    }

    private static String objective(String model, String dataset, String objective) {
        return "{\"model\":\"" + model + "\",\"dataset\":\"" + dataset + "\",\"training\":{\"objective\":" + objective + "}}";
    }

    @Test
    void withHiddenAndConvModelsWithConvolutionalBlocksAcceptDropoutWithoutHiddenSlots() {
        for (String model : new String[] {"vgg-11", "vgg-19", "resnet-20", "resnet-18", "resnet-18-imagenet-stem", "conv-6"}) {
            assertThat(read(objective(model, "cifar10", "{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden-and-conv\"}"))
                    .problems()).as(model).isEmpty();
            assertThat(read(objective(model, "cifar100",
                    "{\"kind\":\"lwcc-si\",\"dropout\":0.1,\"dropoutPlacement\":\"hidden-and-conv\"}")).problems()).as(model).isEmpty();
        }
        assertThat(read(objective("lenet-5", "mnist", "{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden-and-conv\"}"))
                .problems()).isEmpty();
        // the default placement is spelled out in the resolved spec
        assertThat(read(objective("lenet-5", "mnist", "{\"kind\":\"vwcc\"}")).spec().withDefaults().training().objective()
                .dropoutPlacement()).isEqualTo("hidden");
        // with the default placement they still need hidden slots; the message names the way out
        assertThat(read(objective("vgg-11", "cifar10", "{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden\"}")).problems())
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("spec.training.objective.kind");
                    assertThat(p.message()).contains("vgg-11 has no hidden fully connected layer", "dropoutPlacement hidden-and-conv");
                });
        assertThat(read(objective("vgg-11", "cifar10", "{\"kind\":\"vwcc\",\"dropout\":0}")).problems()).isEmpty();
    }

    @Test
    void dropoutPlacementProblemsNameTheField() {
        assertThat(read(objective("vgg-11", "cifar10", "{\"kind\":\"vwcc\",\"dropoutPlacement\":\"conv\"}")).problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.training.objective.dropoutPlacement", "must be one of hidden, hidden-and-conv"));
        assertThat(read(objective("lenet-300-100", "mnist", "{\"kind\":\"lwcc-si\",\"dropoutPlacement\":\"hidden-and-conv\"}"))
                .problems()).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("spec.training.objective.dropoutPlacement");
                    assertThat(p.message()).startsWith("hidden-and-conv needs convolutional blocks, and lenet-300-100 has none");
                });
        assertThat(read(objective("resnet-20", "cifar10", "{\"kind\":\"mixup\",\"dropoutPlacement\":\"hidden-and-conv\"}"))
                .problems()).extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.training.objective.dropoutPlacement", "is not used by kind mixup"));
        assertThat(read(objective("conv-2", "cifar10", "{\"kind\":\"vwcc\",\"dropoutPlacement\":3}")).problems())
                .extracting(FieldProblem::field).containsExactly("spec.training.objective.dropoutPlacement");
    }

    @Test
    void oneShotStrategiesNeedATargetAndSpreadByLayerDistribution() {
        for (String strategy : new String[] {"random", "snip", "grasp", "synflow"}) {
            assertThat(read("{\"pruning\":{\"strategy\":\"" + strategy + "\",\"targetSparsity\":0.8}}").problems())
                    .as(strategy).isEmpty();
            assertThat(read("{\"pruning\":{\"strategy\":\"" + strategy + "\"}}").problems())
                    .extracting(FieldProblem::field).containsExactly("spec.pruning.targetSparsity");
        }
        assertThat(read("{\"pruning\":{\"strategy\":\"snip\",\"targetSparsity\":0.95,\"scope\":\"layerwise\","
                + "\"layerDistribution\":\"erk\",\"scoreSamplesPerClass\":5}}").problems()).isEmpty();
        assertThat(read("{\"pruning\":{\"strategy\":\"omp\",\"targetSparsity\":0.95,\"scope\":\"layerwise\","
                + "\"layerDistribution\":\"erk\"}}").problems()).isEmpty();
        assertThat(read("{\"pruning\":{\"strategy\":\"magic\",\"layerDistribution\":\"lognormal\","
                + "\"scoreSamplesPerClass\":0,\"synflowRounds\":1001}}").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.pruning.strategy", "spec.pruning.layerDistribution",
                        "spec.pruning.scoreSamplesPerClass", "spec.pruning.synflowRounds");
        // ERK spreads a one-shot layerwise budget; IMP's levels and global scope have no use for it
        assertThat(read("{\"pruning\":{\"scope\":\"layerwise\",\"layerDistribution\":\"erk\"}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.pruning.layerDistribution");
        assertThat(read("{\"pruning\":{\"strategy\":\"synflow\",\"targetSparsity\":0.9,\"layerDistribution\":\"erk\"}}")
                .problems()).extracting(FieldProblem::field).containsExactly("spec.pruning.layerDistribution");
        assertThat(read("{\"pruning\":{\"strategy\":\"random\",\"targetSparsity\":0.9,\"scope\":\"layerwise\","
                + "\"layerFractions\":{\"fc3.weight\":0.1}}}").problems())
                .extracting(FieldProblem::field).containsExactly("spec.pruning.layerFractions");
    }

    @Test
    void aSparseTrainingSpecIsValidWithItsSparsityAndNoImpLevels() {
        assertThat(read("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9}}").problems()).isEmpty();
        assertThat(read("""
                {"training":{"epochs":10,"objective":{"kind":"focal"}},"pruning":{"levels":0,"ignore":["fc3.weight"]},
                 "sparseTraining":{"method":"cigl","sparsity":0.95,"distribution":"uniform","updateInterval":50,
                                   "endFraction":1,"dropFraction":0.5,"dropSchedule":"constant","randomMaskDenominator":2,
                                   "averageFromEpoch":10,"averaging":"reimpose","snapshotSteps":[1,100,1000]}}""")
                .problems()).isEmpty();
        assertThat(read("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"method\":\"static\",\"sparsity\":0.5}}")
                .problems()).isEmpty();
    }

    @Test
    void sparseTrainingProblemsNameTheirFields() {
        assertThat(read("""
                {"training":{"epochs":10},"pruning":{"levels":0},
                 "sparseTraining":{"method":"cigl","sparsity":1,"distribution":"random","updateInterval":0,"endFraction":0,
                                   "dropFraction":1,"dropSchedule":"linear","randomMaskDenominator":1,"averageFromEpoch":11,
                                   "averaging":"mean","snapshotSteps":[5,5,0]}}""").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.sparseTraining.sparsity", "spec.sparseTraining.distribution",
                        "spec.sparseTraining.updateInterval", "spec.sparseTraining.endFraction",
                        "spec.sparseTraining.dropFraction", "spec.sparseTraining.dropSchedule",
                        "spec.sparseTraining.randomMaskDenominator", "spec.sparseTraining.averageFromEpoch",
                        "spec.sparseTraining.averaging", "spec.sparseTraining.snapshotSteps[1]",
                        "spec.sparseTraining.snapshotSteps[2]");
        assertThat(read("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"method\":\"gmp\"}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.sparseTraining.method", "must be one of static, set, rigl, cigl"),
                        tuple("spec.sparseTraining.sparsity",
                                "is required (the target sparsity over the prunable tensors not ignored)"));
        assertThat(read("{\"sparseTraining\":{\"sparsity\":\"0.9\",\"snapshotSteps\":[1.5],\"seed\":1}}").problems())
                .extracting(FieldProblem::field)
                .contains("spec.sparseTraining.sparsity", "spec.sparseTraining.snapshotSteps[0]", "spec.sparseTraining.seed");
    }

    @Test
    void cigLFieldsOnlyWithCigLAndUpdateFieldsNotWithStatic() {
        assertThat(read("""
                {"pruning":{"levels":0},"sparseTraining":{"method":"rigl","sparsity":0.9,"randomMaskDenominator":100,
                 "averageFromEpoch":1,"averaging":"union"}}""").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.sparseTraining.randomMaskDenominator", "is not used by method rigl"),
                        tuple("spec.sparseTraining.averageFromEpoch", "is not used by method rigl"),
                        tuple("spec.sparseTraining.averaging", "is not used by method rigl"));
        assertThat(read("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"method\":\"static\",\"sparsity\":0.9,"
                + "\"updateInterval\":10,\"dropSchedule\":\"cosine\"}}").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.sparseTraining.updateInterval", "spec.sparseTraining.dropSchedule");
    }

    @Test
    void sparseTrainingMakesOneTicketAtLevelZeroSoImpOptionsAreRejected() {
        assertThat(read("{\"sparseTraining\":{\"sparsity\":0.9}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.pruning.levels",
                        "must be 0 with sparseTraining (it makes one sparse ticket per seed at level 0, no IMP levels)"));
        assertThat(read("""
                {"pruning":{"levels":0,"targetSparsity":0.9,"layerFractions":{"fc3.weight":0.1}},"controls":["reinit"],
                 "rewind":{"step":5},"sparseTraining":{"sparsity":0.9}}""").problems())
                .extracting(FieldProblem::field)
                .containsExactly("spec.pruning.targetSparsity", "spec.pruning.layerFractions", "spec.controls",
                        "spec.rewind.step");
        assertThat(read("{\"pruning\":{\"levels\":0,\"ignore\":[\"fc1.weight\",\"fc2.weight\",\"fc3.weight\"]},"
                + "\"sparseTraining\":{\"sparsity\":0.9}}").problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .containsExactly(tuple("spec.pruning.ignore", "leaves no tensor to train sparsely"));
    }

    @Test
    void theExampleExperimentRequestsValidate() throws Exception {
        for (String file : java.util.List.of("fashion-mnist-lenet-300-100.json", "fashion-mnist-lenet-300-100-rigl.json")) {
            String request = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", file));
            assertThat(read(JSON.readTree(request).get("spec").toString()).problems()).as(file).isEmpty();
        }
    }
}
