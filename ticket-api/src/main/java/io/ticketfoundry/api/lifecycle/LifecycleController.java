package io.ticketfoundry.api.lifecycle;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/** Deleting experiments, and moving them between deployments as archives. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Lifecycle", description = "Delete experiments (tombstones where other lineage needs them), export and "
        + "import them as archives")
public class LifecycleController {

    static final String ZIP = "application/zip";

    private final ExperimentDeletion deletion;
    private final ExperimentExport exports;
    private final ExperimentImport imports;

    public LifecycleController(ExperimentDeletion deletion, ExperimentExport exports, ExperimentImport imports) {
        this.deletion = deletion;
        this.exports = exports;
        this.imports = imports;
    }

    @DeleteMapping("/experiments/{id}")
    @Operation(summary = "Delete an experiment",
            description = "Members and admins of the owning team. Removes the experiment's jobs, checkpoints, labels, "
                    + "sweep entries and every ticket no other experiment names; a ticket another experiment's "
                    + "ticket or job names as its parent (a transfer source), and the tickets it descends from, stay as "
                    + "tombstones (identity, counts, metrics, provenance; no files: downloads answer 410), and so does "
                    + "the experiment row with its spec while any tombstone remains (GET answers 410 with it as "
                    + "`tombstone`). Then every artifact nothing else names is deleted, row and bytes. 409 while a job "
                    + "of the experiment is running, unless `cancel=true` (queued and running jobs end with it), and "
                    + "while a queued or running job of another experiment starts from one of its tickets. See "
                    + "docs/lifecycle.md.")
    public ExperimentDeletion.Deleted deleteExperiment(@PathVariable UUID id,
            @Parameter(description = "end queued and running jobs with the experiment")
            @RequestParam(defaultValue = "false") boolean cancel) {
        return deletion.delete(id, cancel, Caller.current());
    }

    @GetMapping("/experiments/{id}/export")
    @Operation(summary = "Export an experiment as one zip archive",
            description = "Anyone who may read the experiment (readers of a share too). The archive streams: "
                    + "`manifest.json` first (format version, export time, this deployment's id, the experiment with its "
                    + "spec, resolved spec and spec hash, seeds, the jobs that made its tickets and metrics, every ticket "
                    + "with kind, seed, level, step, parent, counts, layers, provenance, calibration, source mask, aliases "
                    + "and tags, every metric with its conventions and details, every file with its SHA-256, size, media "
                    + "type and roles), then each file once as `artifacts/<sha256>`: masks, rewind points and trained "
                    + "weights. See docs/lifecycle.md.")
    @ApiResponse(responseCode = "200", description = "the archive",
            content = @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")))
    public void exportExperiment(@PathVariable UUID id, HttpServletResponse response) throws IOException {
        ExperimentExport.Prepared prepared = exports.prepare(id, Caller.current());
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(ZIP);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("experiment-" + id + ".zip").build().toString());
        exports.write(prepared, response.getOutputStream());
        response.flushBuffer();
    }

    /** The multipart form of an import, as the API documents it. */
    @Schema(name = "ArchiveUpload")
    record ArchiveUpload(@Schema(type = "string", format = "binary", description = "the archive (zip)") String archive) {
    }

    @PostMapping(path = "/imports", consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, ZIP})
    @Operation(summary = "Import an experiment archive into your team",
            description = "An archive of GET /experiments/{id}/export, as the multipart part `archive`, or as the body "
                    + "itself with Content-Type application/zip (read as it arrives, no temporary copy). Members and "
                    + "admins. The manifest and every file's SHA-256 and size are checked as the archive is read; any "
                    + "problem is a 400 naming the entry (`manifest.json:<path>` for the manifest's fields) and leaves "
                    + "nothing behind. Ids are kept where they are free in this deployment and replaced otherwise (the "
                    + "answer lists them); lineage inside the archive is rebuilt exactly, a parent outside it stays the "
                    + "parent when that ticket exists here and is otherwise kept as `importedParent` in the ticket's "
                    + "provenance. 201 with the new experiment; 200 with the team's existing experiment of the same spec "
                    + "hash, importing nothing. See docs/lifecycle.md.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                            schema = @Schema(implementation = ArchiveUpload.class)),
                    @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary"))}))
    public ResponseEntity<ExperimentImport.Imported> importExperiment(HttpServletRequest request) throws IOException {
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart == null) {
            return answer(imports.importArchive(request.getInputStream(), Caller.current()));
        }
        MultipartFile archive = multipart.getFile("archive");
        if (archive == null) {
            throw ApiException.invalid("archive", "is required: the archive as the multipart part named archive");
        }
        try (InputStream in = archive.getInputStream()) {
            return answer(imports.importArchive(in, Caller.current()));
        }
    }

    private static ResponseEntity<ExperimentImport.Imported> answer(ExperimentImport.Imported imported) {
        if (imported.created()) {
            return ResponseEntity.created(URI.create("/api/v1/experiments/" + imported.experiment().id())).body(imported);
        }
        return ResponseEntity.ok(imported);
    }
}
