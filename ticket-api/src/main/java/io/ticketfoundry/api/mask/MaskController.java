package io.ticketfoundry.api.mask;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Masks made elsewhere, uploaded to be retrained or transferred. */
@RestController
@RequestMapping("/api/v1/masks")
@Tag(name = "Masks", description = "Upload a mask made elsewhere, validated against its architecture")
public class MaskController {

    private final MaskService masks;

    public MaskController(MaskService masks) {
        this.masks = masks;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a mask (safetensors, the model's reference tensor names)",
            description = "multipart/form-data: model (required), file (the mask: one tensor per prunable tensor, "
                    + "i.e. every Linear and Conv weight, named and shaped as in the model's PyTorch reference, values "
                    + "0/1 in any bool, integer or float dtype; all-ones masks of biases or BatchNorm are ignored), "
                    + "optional weights (the whole state_dict to start from, F32 with I64 num_batches_tracked), "
                    + "numClasses (checked against the output layer's rows, which otherwise give it), name (default: the "
                    + "file name), description. 201 with the mask, or 200 with the team's existing one for the same "
                    + "files; 400 names the part and tensor of every problem, e.g. file[\"fc1.weight\"].")
    public ResponseEntity<MaskView> upload(
            @RequestParam(required = false) String model,
            @RequestParam(required = false) Integer numClasses,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String description,
            @Parameter(description = "the mask, safetensors") @RequestPart(required = false) MultipartFile file,
            @Parameter(description = "the weights to start from, safetensors (optional)")
            @RequestPart(required = false) MultipartFile weights) {
        MaskService.Registration made = masks.upload(Caller.current(), model, numClasses, name, description, file,
                weights);
        if (made.created()) {
            return ResponseEntity.created(URI.create("/api/v1/masks/" + made.mask().id())).body(made.mask());
        }
        return ResponseEntity.ok(made.mask());
    }

    @GetMapping
    @Operation(summary = "The team's uploaded masks, newest first")
    public List<MaskView> list() {
        return masks.list(Caller.current());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One uploaded mask")
    public MaskView get(@PathVariable UUID id) {
        return masks.get(id, Caller.current());
    }

    @GetMapping("/{id}/file")
    @Operation(summary = "Download the mask as stored (safetensors, U8, the model's tensor order)")
    public ResponseEntity<Resource> file(@PathVariable UUID id) {
        return masks.download(id, false, Caller.current());
    }

    @GetMapping("/{id}/weights")
    @Operation(summary = "Download the weights uploaded with the mask (404 when there were none)")
    public ResponseEntity<Resource> weights(@PathVariable UUID id) {
        return masks.download(id, true, Caller.current());
    }
}
