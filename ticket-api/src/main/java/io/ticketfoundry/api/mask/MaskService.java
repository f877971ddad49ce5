package io.ticketfoundry.api.mask;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.ticket.TicketViews.ArtifactLink;
import io.ticketfoundry.api.ticket.TicketViews.WeightCount;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.protocol.LayerDensity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Masks made elsewhere: validated against their architecture ({@link MaskFileValidator}), stored
 * as artifacts and kept as the team's. The same mask (and weights) for the same model uploaded
 * again is the same mask (200). Transfer jobs retrain them ({@code POST /api/v1/masks/{id}/transfers}).
 */
@Service
public class MaskService {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_DESCRIPTION_LENGTH = 2_000;

    /** What a transfer needs to know of a mask. */
    public record MaskSource(UUID id, UUID teamId, String name, String model, int numClasses) {
    }

    /** An upload's outcome: whether it made a new mask, and the mask. */
    public record Registration(boolean created, MaskView mask) {
    }

    private static final TypeReference<Map<String, LayerDensity>> LAYERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArtifactService artifacts;
    private final TransactionTemplate transaction;

    private final AuditLog audit;

    MaskService(JdbcClient jdbc, JsonMapper json, ArtifactService artifacts, TransactionTemplate transaction,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.artifacts = artifacts;
        this.transaction = transaction;
    }

    public Registration upload(Caller caller, String model, Integer numClasses, String name, String description,
            MultipartFile file, MultipartFile weights) {
        caller.requireWriter();
        List<FieldProblem> problems = new ArrayList<>();
        String cleanName = name == null || name.isBlank()
                ? file == null || file.getOriginalFilename() == null ? null : file.getOriginalFilename().strip()
                : name.strip();
        if (cleanName == null || cleanName.isEmpty()) {
            problems.add(new FieldProblem("name", "is required (or send the file with a file name)"));
        } else if (cleanName.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem("name", "must have at most " + MAX_NAME_LENGTH + " characters"));
        }
        String cleanDescription = description == null || description.isBlank() ? null : description.strip();
        if (cleanDescription != null && cleanDescription.length() > MAX_DESCRIPTION_LENGTH) {
            problems.add(new FieldProblem("description", "must have at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        byte[] maskBytes = bytes(file, "file");
        byte[] weightBytes = weights == null || weights.isEmpty() && weights.getOriginalFilename() == null
                ? null : bytes(weights, "weights");
        MaskFileValidator.Result result = MaskFileValidator.validate(model == null ? null : model.strip(), numClasses,
                maskBytes, weightBytes);
        problems.addAll(result.problems());
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        MaskFileValidator.ValidMask valid = result.mask();
        ArtifactStore.StoredObject mask = store(valid.normalised());
        ArtifactStore.StoredObject start = weightBytes == null ? null : store(weightBytes);
        UUID id = UUID.randomUUID();
        Optional<UUID> inserted;
        try {
            inserted = transaction.execute(status -> insert(caller, id, cleanName, cleanDescription, valid, mask, start,
                    Digests.sha256Hex(maskBytes)));
        } catch (RuntimeException e) {
            // nothing recorded: the bytes stored above must not stay behind without a row
            artifacts.discardIfUnrecorded(mask);
            if (start != null) {
                artifacts.discardIfUnrecorded(start);
            }
            throw e;
        }
        UUID found = inserted.orElseGet(() -> jdbc.sql("""
                SELECT id FROM uploaded_mask WHERE team_id = :team AND model = :model AND num_classes = :classes
                  AND mask_sha256 = :mask AND weights_sha256 IS NOT DISTINCT FROM :weights""")
                .param("team", caller.teamId()).param("model", valid.model()).param("classes", valid.numClasses())
                .param("mask", mask.sha256()).param("weights", start == null ? null : start.sha256())
                .query(UUID.class).single());
        return new Registration(inserted.isPresent(), view(found).orElseThrow());
    }

    /** Records the artifacts and the mask, and audits a new one, in the caller's transaction. */
    private Optional<UUID> insert(Caller caller, UUID id, String cleanName, String cleanDescription,
            MaskFileValidator.ValidMask valid, ArtifactStore.StoredObject mask, ArtifactStore.StoredObject start,
            String uploadedSha256) {
        artifacts.record(mask, "application/vnd.safetensors");
        if (start != null) {
            artifacts.record(start, "application/vnd.safetensors");
        }
        return jdbc.sql("""
                INSERT INTO uploaded_mask (id, team_id, name, description, model, num_classes, mask_sha256,
                                           uploaded_sha256, weights_sha256, prunable_weights, remaining_prunable,
                                           layers, ignored_tensors, created_by)
                VALUES (:id, :team, :name, :description, :model, :classes, :mask, :uploaded, :weights, :prunable,
                        :remaining, CAST(:layers AS jsonb), CAST(:ignored AS text[]), :createdBy)
                ON CONFLICT (team_id, model, num_classes, mask_sha256, (coalesce(weights_sha256, ''))) DO NOTHING
                RETURNING id""")
                .param("id", id)
                .param("team", caller.teamId())
                .param("name", cleanName)
                .param("description", cleanDescription)
                .param("model", valid.model())
                .param("classes", valid.numClasses())
                .param("mask", mask.sha256())
                .param("uploaded", uploadedSha256)
                .param("weights", start == null ? null : start.sha256())
                .param("prunable", valid.prunable())
                .param("remaining", valid.remaining())
                .param("layers", json.writeValueAsString(valid.layers()))
                .param("ignored", "{" + String.join(",", valid.ignored().stream().map(n -> "\"" + n + "\"").toList())
                        + "}")
                .param("createdBy", caller.tokenId())
                .query(UUID.class)
                .optional()
                .map(made -> {
                    audit.record(caller, caller.teamId(), "mask.uploaded", "mask", made,
                            Map.of("name", cleanName, "model", valid.model(), "sha256", mask.sha256()));
                    return made;
                });
    }

    public MaskView get(UUID id, Caller caller) {
        readable(id, caller);
        return view(id).orElseThrow();
    }

    /** The team's masks, newest first. */
    public List<MaskView> list(Caller caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("only user tokens list masks");
        }
        return jdbc.sql("SELECT id FROM uploaded_mask WHERE team_id = :team ORDER BY created_at DESC, id")
                .param("team", caller.teamId()).query(UUID.class).list().stream()
                .map(id -> view(id).orElseThrow()).toList();
    }

    /** The mask as a transfer's source, if the caller may read it. */
    public MaskSource readable(UUID id, Caller caller) {
        MaskSource source = jdbc.sql("SELECT id, team_id, name, model, num_classes FROM uploaded_mask WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new MaskSource(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class),
                        rs.getString("name"), rs.getString("model"), rs.getInt("num_classes")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("mask " + id));
        caller.requireReadable(source.teamId(), "mask " + id);
        return source;
    }

    public ResponseEntity<Resource> download(UUID id, boolean weights, Caller caller) {
        readable(id, caller);
        String sha = jdbc.sql("SELECT " + (weights ? "weights_sha256" : "mask_sha256") + " FROM uploaded_mask WHERE id = :id")
                .param("id", id).query((rs, n) -> Optional.ofNullable(rs.getString(1))).single().orElse(null);
        if (sha == null) {
            throw ApiException.notFound("weights of mask " + id + " (it was uploaded without any)");
        }
        return artifacts.download(sha, id + (weights ? "-weights" : "-mask") + ".safetensors");
    }

    private byte[] bytes(MultipartFile part, String field) {
        if (part == null) {
            return null;
        }
        long max = artifacts.maxUploadSize();
        if (part.getSize() > max) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                    field + " has " + part.getSize() + " bytes; at most " + max + " are accepted");
        }
        try {
            return part.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArtifactStore.StoredObject store(byte[] content) {
        return artifacts.store(new ByteArrayInputStream(content), content.length, Digests.sha256Hex(content));
    }

    private Optional<MaskView> view(UUID id) {
        return jdbc.sql("""
                SELECT id, name, description, model, num_classes, mask_sha256, uploaded_sha256, weights_sha256,
                       prunable_weights, remaining_prunable, layers::text AS layers, ignored_tensors, created_at
                FROM uploaded_mask WHERE id = :id""")
                .param("id", id)
                .query(this::row)
                .optional();
    }

    private MaskView row(ResultSet rs, int n) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        Map<String, WeightCount> layers = new LinkedHashMap<>();
        json.readValue(rs.getString("layers"), LAYERS).forEach((name, density) -> layers.put(name,
                weightCount(density.total(), density.remaining())));
        List<String> ignored = new ArrayList<>();
        Array array = rs.getArray("ignored_tensors");
        if (array != null) {
            for (Object value : (Object[]) array.getArray()) {
                ignored.add((String) value);
            }
        }
        long total = rs.getLong("prunable_weights");
        long remaining = rs.getLong("remaining_prunable");
        String weights = rs.getString("weights_sha256");
        return new MaskView(id, rs.getString("name"), rs.getString("description"), rs.getString("model"),
                rs.getInt("num_classes"), 1.0 - (double) remaining / total, weightCount(total, remaining), layers,
                ignored, link(rs.getString("mask_sha256"), "/api/v1/masks/" + id + "/file"),
                weights == null ? null : link(weights, "/api/v1/masks/" + id + "/weights"),
                rs.getString("uploaded_sha256"), rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

    private ArtifactLink link(String sha, String url) {
        return new ArtifactLink(sha, artifacts.find(sha).map(ArtifactService.ArtifactInfo::size).orElse(null), url);
    }

    private static WeightCount weightCount(long total, long remaining) {
        return new WeightCount(total, remaining, total == 0 ? 0.0 : (double) remaining / total);
    }
}
