package io.ticketfoundry.api.dataset;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Base datasets, derived datasets (recipes) and uploaded datasets that specs name by id")
public class DatasetController {

    private final DatasetService datasets;

    public DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    @GetMapping
    @Operation(summary = "List the datasets the team may name in a spec",
            description = "Base datasets (with the SHA-256 of their files where declared), derived datasets over base "
                    + "datasets (shared by every team), and the team's uploads and recipes over them.")
    public DatasetView.DatasetList list() {
        return datasets.list(Caller.current());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One dataset by id (a base name, derived-<sha256> or upload-<sha256>)")
    public DatasetView get(@PathVariable String id) {
        return datasets.get(Caller.current(), id);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register a derived dataset (a recipe over a base or uploaded dataset)",
            description = "Body {\"name\": optional, \"recipe\": {\"kind\": \"halves|subset|validation-split|corruption\", "
                    + "\"base\": id, \"seed\": 0, \"half\": \"a|b\", \"perClass\": n, \"fraction\": f}}; a corruption recipe has "
                    + "\"corruption\" (e.g. fog), \"severity\" 1-5, \"source\" (train|test, default test) and \"trainFraction\" "
                    + "(default 0.9, 0 for test only) instead of half/perClass/fraction. The id is derived- followed by "
                    + "the SHA-256 of the recipe's canonical JSON; registering the same recipe again returns it (200), "
                    + "a new one is 201. Team members and admins only.")
    public ResponseEntity<DatasetView> register(@RequestBody JsonNode body) {
        return answer(datasets.register(Caller.current(), body));
    }

    @PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a dataset (IDX or CIFAR binary files) for the team",
            description = "multipart/form-data: format=idx with file parts trainImages, trainLabels, testImages, testLabels "
                    + "(raw or gzip), or format=cifar10|cifar100 with file parts train and test; optional name and "
                    + "numClasses (IDX: default largest label + 1). Files are validated and stored as artifacts; workers "
                    + "download and cache them by SHA-256. The same files return the existing dataset (200).")
    public ResponseEntity<DatasetView> upload(
            @RequestParam String format,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer numClasses,
            @Parameter(description = "IDX: training images") @RequestPart(required = false) MultipartFile trainImages,
            @Parameter(description = "IDX: training labels") @RequestPart(required = false) MultipartFile trainLabels,
            @Parameter(description = "IDX: test images") @RequestPart(required = false) MultipartFile testImages,
            @Parameter(description = "IDX: test labels") @RequestPart(required = false) MultipartFile testLabels,
            @Parameter(description = "CIFAR: the training records") @RequestPart(required = false) MultipartFile train,
            @Parameter(description = "CIFAR: the test records") @RequestPart(required = false) MultipartFile test) {
        Map<String, MultipartFile> parts = new LinkedHashMap<>();
        put(parts, "trainImages", trainImages);
        put(parts, "trainLabels", trainLabels);
        put(parts, "testImages", testImages);
        put(parts, "testLabels", testLabels);
        put(parts, "train", train);
        put(parts, "test", test);
        return answer(datasets.upload(Caller.current(), format, name, numClasses, parts));
    }

    private static void put(Map<String, MultipartFile> parts, String role, MultipartFile file) {
        if (file != null) {
            parts.put(role, file);
        }
    }

    private static ResponseEntity<DatasetView> answer(DatasetService.Registration registration) {
        DatasetView view = registration.dataset();
        if (registration.created()) {
            return ResponseEntity.created(URI.create("/api/v1/datasets/" + view.id())).body(view);
        }
        return ResponseEntity.status(HttpStatus.OK).body(view);
    }
}
