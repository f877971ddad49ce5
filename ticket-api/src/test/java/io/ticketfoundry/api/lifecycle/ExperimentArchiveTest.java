package io.ticketfoundry.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.artifact.FilesystemArtifactStore;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.Lease;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Export and import: an archive holds the experiment, its tickets with lineage and labels, metrics and
 * every file; importing it elsewhere (another team, or this deployment after the original was
 * deleted) gives the same tickets, metrics, byte-identical files and lineage; a corrupted archive is
 * refused naming its entry and leaves nothing behind.
 */
class ExperimentArchiveTest extends QueueTestBase {

    @Autowired
    ArtifactStore store;

    Lab lab;
    QueueFixtures.Team owner;
    QueueFixtures.Team reader;
    UUID source;
    UUID t0;
    UUID t1;
    UUID target;
    UUID transferred;

    @BeforeEach
    void setUp() {
        lab = new Lab(fx, queue, jdbc, json);
        owner = fx.team();
        reader = fx.team();
        source = lab.experiment(owner.id(), "source", Lab.spec(1, 0.1));
        t0 = lab.completeNext(0.9);
        t1 = lab.completeNext(0.91);
        call(owner.memberToken(), "PUT", "/api/v1/experiments/" + source + "/aliases/best", Map.of("ticketId", t1.toString()));
        call(owner.memberToken(), "PUT", "/api/v1/tickets/" + t1 + "/tags/paper", null);
        call(owner.memberToken(), "PUT", "/api/v1/tickets/" + t0 + "/tags/dense", null);
        call(owner.memberToken(), "PUT", "/api/v1/experiments/" + source + "/sharing/teams/" + reader.id(), null);
        HttpResponse<String> transfer = fx.post(owner.memberToken(), "/api/v1/tickets/" + t1 + "/transfers",
                Map.of("dataset", "fashion-mnist"));
        assertThat(transfer.statusCode()).as(transfer.body()).isEqualTo(201);
        target = UUID.fromString(fx.tree(transfer).path("experiment").path("id").asString());
        transferred = lab.completeNext(0.7);
    }

    private void call(String token, String method, String path, Object body) {
        HttpResponse<String> response = fx.call(token, method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private byte[] export(String token, UUID experiment) {
        HttpResponse<byte[]> response = fx.getBytes(token, "/api/v1/experiments/" + experiment + "/export");
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(response.headers().firstValue("Content-Length")).as("streamed, not sized up front").isEmpty();
        return response.body();
    }

    private HttpResponse<String> importArchive(String token, byte[] archive) {
        return fx.postMultipart(token, "/api/v1/imports", Map.of(), Map.of("archive", archive));
    }

    private static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                out.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private JsonNode manifest(byte[] archive) {
        return json.readTree(entries(archive).get("manifest.json"));
    }

    private byte[] withManifest(byte[] archive, UnaryOperator<ObjectNode> change) {
        Map<String, byte[]> entries = entries(archive);
        ObjectNode manifest = (ObjectNode) json.readTree(entries.get("manifest.json"));
        entries.put("manifest.json", json.writeValueAsBytes(change.apply(manifest)));
        return zip(entries);
    }

    private void deleteEverything() {
        assertThat(fx.call(owner.memberToken(), "DELETE", "/api/v1/experiments/" + source, null).statusCode())
                .isEqualTo(200);
        assertThat(fx.call(owner.memberToken(), "DELETE", "/api/v1/experiments/" + target, null).statusCode())
                .isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM artifact WHERE sha256 IN (:made)").param("made", lab.made)
                .query(Long.class).single()).isZero();
    }

    /** Tickets by (seed, level, kind) with what must survive an import unchanged. */
    private Map<String, JsonNode> ticketsOf(String token, UUID experiment) {
        Map<String, JsonNode> out = new HashMap<>();
        fx.tree(fx.get(token, "/api/v1/experiments/" + experiment + "/tickets")).path("items").forEach(item -> {
            JsonNode ticket = fx.tree(fx.get(token, "/api/v1/tickets/" + item.path("id").asString()));
            out.put(item.path("seed").asString() + "/" + item.path("level").asString() + "/" + item.path("kind").asString(),
                    ticket);
        });
        return out;
    }

    private List<String> edges(String token, UUID experiment, Map<String, String> rename) {
        List<String> out = new ArrayList<>();
        fx.tree(fx.get(token, "/api/v1/experiments/" + experiment + "/lineage")).path("edges").forEach(edge -> out.add(
                rename.getOrDefault(edge.path("from").asString(), edge.path("from").asString()) + "->"
                        + rename.getOrDefault(edge.path("to").asString(), edge.path("to").asString()) + ":"
                        + edge.path("kind").asString()));
        return out;
    }

    @Test
    void theArchiveHoldsTheExperimentItsTicketsMetricsAndEveryFile() {
        byte[] archive = export(reader.viewerToken(), source);
        Map<String, byte[]> entries = entries(archive);
        assertThat(entries.keySet().iterator().next()).isEqualTo("manifest.json");
        JsonNode manifest = json.readTree(entries.get("manifest.json"));
        assertThat(manifest.path("format").asString()).isEqualTo("ticket-foundry-experiment");
        assertThat(manifest.path("formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.path("sourceDeployment").asString())
                .isEqualTo(jdbc.sql("SELECT id FROM deployment").query(UUID.class).single().toString());
        assertThat(manifest.path("experiment").path("specHash").asString()).isEqualTo(jdbc.sql(
                "SELECT spec_hash FROM experiment WHERE id = :e").param("e", source).query(String.class).single());
        assertThat(manifest.path("experiment").path("resolvedSpec").path("model").asString()).isEqualTo("lenet-300-100");
        assertThat(manifest.path("tickets")).hasSize(2);
        JsonNode level1 = manifest.path("tickets").get(1);
        assertThat(level1.path("id").asString()).isEqualTo(t1.toString());
        assertThat(level1.path("parentTicketId").asString()).isEqualTo(t0.toString());
        assertThat(level1.path("aliases").get(0).asString()).isEqualTo("best");
        assertThat(level1.path("tags").get(0).asString()).isEqualTo("paper");
        assertThat(level1.path("provenance").path("engine").asString()).isEqualTo("test");
        assertThat(manifest.path("metrics")).hasSize(4);
        assertThat(manifest.path("metrics").get(1).path("details").path("bins")).hasSize(1);
        assertThat(manifest.path("jobs")).hasSize(2);
        Set<String> files = new TreeSet<>();
        manifest.path("files").forEach(file -> {
            String sha = file.path("sha256").asString();
            files.add(sha);
            byte[] bytes = entries.get("artifacts/" + sha);
            assertThat(bytes).as(sha).isNotNull().hasSize(file.path("size").asInt());
            assertThat(QueueFixtures.sha256(bytes)).isEqualTo(sha);
            assertThat(file.path("roles")).isNotEmpty();
        });
        assertThat(files).hasSize(6);
        assertThat(entries).hasSize(7);
        assertThat(fx.getBytes(fx.team().memberToken(), "/api/v1/experiments/" + source + "/export").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aFileMissingFromTheStoreIsA503BeforeAnythingIsSent() {
        String mask = fx.tree(fx.get(owner.viewerToken(), "/api/v1/tickets/" + t0)).path("artifacts").path("mask")
                .path("sha256").asString();
        store.delete(FilesystemArtifactStore.keyOf(mask));
        HttpResponse<byte[]> response = fx.getBytes(owner.viewerToken(), "/api/v1/experiments/" + source + "/export");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(new String(response.body())).contains(mask);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'experiment.exported' AND target_id = :e")
                .param("e", source.toString()).query(Long.class).single()).isZero();
    }

    @Test
    void anotherTeamImportsTheSameTicketsMetricsFilesAndLineage() {
        byte[] archive = export(owner.viewerToken(), source);
        QueueFixtures.Team importer = fx.team();
        HttpResponse<String> imported = importArchive(importer.memberToken(), archive);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        JsonNode answer = fx.tree(imported);
        UUID copy = UUID.fromString(answer.path("experiment").path("id").asString());
        assertThat(copy).as("this deployment has the original's id").isNotEqualTo(source);
        assertThat(answer.path("experiment").path("teamId").asString()).isEqualTo(importer.id().toString());
        assertThat(answer.path("tickets").asInt()).isEqualTo(2);
        assertThat(answer.path("filesAdded").asInt()).as("the bytes were here already").isZero();
        Map<String, String> rename = new HashMap<>();
        answer.path("replacedTicketIds").properties().forEach(e -> rename.put(e.getValue().asString(), e.getKey()));
        assertThat(rename).hasSize(2);

        Map<String, JsonNode> before = ticketsOf(owner.viewerToken(), source);
        Map<String, JsonNode> after = ticketsOf(importer.viewerToken(), copy);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((place, original) -> {
            JsonNode copied = after.get(place);
            assertThat(rename.get(copied.path("id").asString())).isEqualTo(original.path("id").asString());
            for (String field : List.of("sparsity", "prunable", "allParameters", "layers", "provenance", "aliases", "tags",
                    "createdAt")) {
                assertThat(copied.path(field)).as(place + " " + field).isEqualTo(original.path(field));
            }
            assertThat(metricsWithoutJobs(copied)).isEqualTo(metricsWithoutJobs(original));
            for (String file : List.of("mask", "rewind", "weights")) {
                assertThat(copied.path("artifacts").path(file).path("sha256"))
                        .isEqualTo(original.path("artifacts").path(file).path("sha256"));
                assertThat(fx.getBytes(importer.viewerToken(), "/api/v1/tickets/" + copied.path("id").asString() + "/" + file)
                        .body()).isEqualTo(fx.getBytes(owner.viewerToken(),
                        "/api/v1/tickets/" + original.path("id").asString() + "/" + file).body());
            }
        });
        assertThat(edges(importer.viewerToken(), copy, rename)).isEqualTo(edges(owner.viewerToken(), source, Map.of()));
        JsonNode alias = fx.tree(fx.get(importer.viewerToken(), "/api/v1/experiments/" + copy + "/aliases/best"));
        assertThat(alias.path("current").path("ticketId").asString()).isNotEqualTo(t1.toString())
                .isEqualTo(after.get("0/1/imp").path("id").asString());
        assertThat(alias.path("history")).hasSize(1);
        assertThat(fx.tree(fx.get(importer.viewerToken(), "/api/v1/jobs?experimentId=" + copy)).path("items"))
                .allSatisfy(job -> {
                    assertThat(job.path("kind").asString()).isEqualTo("import");
                    assertThat(job.path("status").asString()).isEqualTo("succeeded");
                });

        HttpResponse<String> again = importArchive(importer.memberToken(), archive);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(fx.tree(again).path("created").asBoolean()).isFalse();
        assertThat(fx.tree(again).path("experiment").path("id").asString()).isEqualTo(copy.toString());
        HttpResponse<String> own = importArchive(owner.memberToken(), archive);
        assertThat(fx.tree(own).path("experiment").path("id").asString()).as("the owner has this spec").isEqualTo(
                source.toString());
        assertThat(importArchive(importer.viewerToken(), archive).statusCode()).isEqualTo(403);
    }

    private static List<String> metricsWithoutJobs(JsonNode ticket) {
        List<String> out = new ArrayList<>();
        ticket.path("metrics").forEach(metric -> {
            ObjectNode copy = ((ObjectNode) metric).deepCopy();
            copy.remove("jobId");
            out.add(copy.toString());
        });
        return out;
    }

    @Test
    void anotherDeploymentGetsTheSameIdsAndATransferKeepsItsSourceOrRecordsIt() {
        byte[] sourceArchive = export(owner.viewerToken(), source);
        byte[] targetArchive = export(owner.viewerToken(), target);
        Map<String, byte[]> files = entries(sourceArchive);
        deleteEverything();

        // the transfer first: its source is in no archive yet and not here
        HttpResponse<String> first = importArchive(owner.memberToken(), targetArchive);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(fx.tree(first).path("experiment").path("id").asString()).isEqualTo(target.toString());
        assertThat(fx.tree(first).path("importedParents").path(transferred.toString()).asString()).isEqualTo(t1.toString());
        JsonNode orphan = fx.tree(fx.get(owner.viewerToken(), "/api/v1/tickets/" + transferred));
        assertThat(orphan.path("parentTicketId").isNull()).isTrue();
        assertThat(orphan.path("provenance").path("importedParent").asString()).isEqualTo(t1.toString());

        // the source as the archive's body: the same ids, byte-identical files, the same lineage
        HttpResponse<String> second = fx.call(owner.memberToken(), "POST", "/api/v1/imports", null);
        assertThat(second.statusCode()).isEqualTo(415);
        second = postZip(owner.memberToken(), sourceArchive);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        JsonNode answer = fx.tree(second);
        assertThat(answer.path("experiment").path("id").asString()).isEqualTo(source.toString());
        assertThat(answer.path("replacedTicketIds").isEmpty()).isTrue();
        assertThat(answer.path("replacedJobIds").isEmpty()).isTrue();
        assertThat(answer.path("filesAdded").asInt()).isEqualTo(6);
        JsonNode level1 = fx.tree(fx.get(owner.viewerToken(), "/api/v1/tickets/" + t1));
        assertThat(level1.path("parentTicketId").asString()).isEqualTo(t0.toString());
        assertThat(level1.path("aliases").get(0).asString()).isEqualTo("best");
        for (String file : List.of("mask", "rewind", "weights")) {
            String sha = level1.path("artifacts").path(file).path("sha256").asString();
            assertThat(fx.getBytes(owner.viewerToken(), "/api/v1/tickets/" + t1 + "/" + file).body())
                    .isEqualTo(files.get("artifacts/" + sha));
        }
        assertThat(edges(owner.viewerToken(), source, Map.of())).containsExactly(t0 + "->" + t1 + ":prune");

        // imported into a team that may not read the source: recorded, not linked (a private id is neither
        // pointed at nor confirmed)
        QueueFixtures.Team stranger = fx.team();
        HttpResponse<String> blind = importArchive(stranger.memberToken(), targetArchive);
        assertThat(blind.statusCode()).as(blind.body()).isEqualTo(201);
        assertThat(fx.tree(blind).path("importedParents").size()).isEqualTo(1);

        // imported into a team the source is shared with: the transfer's parent resolves
        QueueFixtures.Team elsewhere = fx.team();
        assertThat(fx.call(owner.memberToken(), "PUT", "/api/v1/experiments/" + source + "/sharing/teams/"
                + elsewhere.id(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> third = importArchive(elsewhere.memberToken(), targetArchive);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(201);
        assertThat(fx.tree(third).path("importedParents").isEmpty()).isTrue();
        UUID copy = UUID.fromString(fx.tree(third).path("experiment").path("id").asString());
        assertThat(edges(elsewhere.viewerToken(), copy, Map.of()).get(0)).startsWith(t1 + "->");
    }

    private HttpResponse<String> postZip(String token, byte[] archive) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(fx.uri("/api/v1/imports"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(archive)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCorruptedArchiveIsRefusedNamingItsEntryAndLeavesNothing() {
        byte[] archive = export(owner.viewerToken(), source);
        Map<String, byte[]> good = entries(archive);
        List<String> files = good.keySet().stream().filter(name -> name.startsWith("artifacts/")).toList();
        String last = files.get(files.size() - 1);
        deleteEverything();
        long experiments = jdbc.sql("SELECT count(*) FROM experiment WHERE team_id = :t").param("t", owner.id())
                .query(Long.class).single();

        Map<String, byte[]> badHash = new LinkedHashMap<>(good);
        byte[] flipped = badHash.get(last).clone();
        flipped[0] ^= 1;
        badHash.put(last, flipped);
        assertRefused(zip(badHash), last);

        Map<String, byte[]> missing = new LinkedHashMap<>(good);
        missing.remove(last);
        assertRefused(zip(missing), last);

        Map<String, byte[]> extra = new LinkedHashMap<>(good);
        extra.put("notes.txt", new byte[] {1});
        assertRefused(zip(extra), "notes.txt");

        Map<String, byte[]> manifestLast = new LinkedHashMap<>(good);
        manifestLast.remove("manifest.json");
        manifestLast.put("manifest.json", good.get("manifest.json"));
        assertRefused(zip(manifestLast), files.get(0));

        Map<String, byte[]> notJson = new LinkedHashMap<>(good);
        notJson.put("manifest.json", "{not json".getBytes());
        assertRefused(zip(notJson), "manifest.json");

        assertRefused(withManifest(archive, m -> {
            ((ObjectNode) m.path("tickets").get(0)).put("jobId", UUID.randomUUID().toString());
            return m;
        }), "manifest.json:tickets[0].jobId");
        assertRefused(withManifest(archive, m -> {
            ((ObjectNode) m.path("experiment")).put("specHash", "0".repeat(64));
            return m;
        }), "manifest.json:experiment.specHash");
        assertRefused(withManifest(archive, m -> {
            ((ObjectNode) m.path("files").get(0)).put("size", 1);
            return m;
        }), "artifacts/" + json.readTree(good.get("manifest.json")).path("files").get(0).path("sha256").asString());
        assertRefused("not a zip at all".getBytes(), "archive");

        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE team_id = :t").param("t", owner.id())
                .query(Long.class).single()).isEqualTo(experiments);
        assertThat(importArchive(owner.memberToken(), archive).statusCode()).as("the intact archive").isEqualTo(201);
    }

    private void assertRefused(byte[] archive, String entry) {
        HttpResponse<String> refused = importArchive(owner.memberToken(), archive);
        assertThat(fx.problemFields(refused)).as(refused.body()).contains(entry);
        assertThat(jdbc.sql("SELECT count(*) FROM artifact WHERE sha256 IN (:made)").param("made", lab.made)
                .query(Long.class).single()).as("no artifact row").isZero();
        assertThat(lab.made).as("no stored object").noneMatch(sha -> store.exists(FilesystemArtifactStore.keyOf(sha)));
        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE id = :e").param("e", source).query(Long.class).single())
                .isZero();
    }
}
