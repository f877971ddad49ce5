package io.ticketfoundry.api.lifecycle;

import io.ticketfoundry.api.artifact.Sha256;
import io.ticketfoundry.api.experiment.ExperimentService;
import io.ticketfoundry.api.experiment.SpecIdentity;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a manifest must hold before anything of its archive is stored: a format this deployment
 * reads, a spec whose hash is the one given, tickets whose jobs, files and labels are in the
 * manifest and whose counts make sense, metrics of those tickets, and exactly the files the tickets
 * name. Every problem is named by its path, prefixed with {@code manifest.json:}.
 */
final class ManifestRules {

    static final Set<String> TICKET_KINDS = Set.of("imp", "control-reinit", "control-layer-permuted",
            "control-global-permuted", "calibrated", "snapshot", "transfer", "transfer-random");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String PREFIX = ArchiveManifest.MANIFEST_ENTRY + ":";
    private static final TypeReference<Map<String, LayerDensity>> LAYERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private final JsonMapper json;
    private final List<FieldProblem> problems = new ArrayList<>();

    private ManifestRules(JsonMapper json) {
        this.json = json;
    }

    static List<FieldProblem> check(ArchiveManifest manifest, JsonMapper json) {
        ManifestRules rules = new ManifestRules(json);
        rules.manifest(manifest);
        return rules.problems;
    }

    private void problem(String path, String message) {
        problems.add(new FieldProblem(PREFIX + path, message));
    }

    private void manifest(ArchiveManifest m) {
        if (!ArchiveManifest.FORMAT.equals(m.format())) {
            problem("format", "must be " + ArchiveManifest.FORMAT);
        }
        if (m.formatVersion() != ArchiveManifest.FORMAT_VERSION) {
            problem("formatVersion", "must be " + ArchiveManifest.FORMAT_VERSION + " (this deployment reads no other)");
        }
        if (!problems.isEmpty()) {
            return;
        }
        Set<Long> seeds = experiment(m.experiment());
        Set<UUID> jobs = jobs(m.jobs());
        Set<String> listed = files(m.files());
        Set<UUID> tickets = tickets(m.tickets(), seeds, jobs, listed);
        metrics(m.metrics(), tickets, jobs);
    }

    private Set<Long> experiment(ArchiveManifest.Experiment e) {
        Set<Long> seeds = new HashSet<>();
        if (e == null) {
            problem("experiment", "is required");
            return seeds;
        }
        if (e.id() == null) {
            problem("experiment.id", "is required");
        }
        if (e.name() == null || e.name().isBlank() || e.name().strip().length() > ExperimentService.MAX_NAME_LENGTH) {
            problem("experiment.name", "must have 1 to " + ExperimentService.MAX_NAME_LENGTH + " characters");
        }
        if (e.spec() == null || !e.spec().isObject()) {
            problem("experiment.spec", "must be an object");
        }
        if (e.schemaVersion() < 1) {
            problem("experiment.schemaVersion", "must be 1 or more");
        }
        if (e.resolvedSpec() == null || !e.resolvedSpec().isObject()) {
            problem("experiment.resolvedSpec", "must be an object");
        } else {
            try {
                ExperimentSpec resolved = json.treeToValue(e.resolvedSpec(), ExperimentSpec.class);
                String hash = SpecIdentity.hash(SpecIdentity.resolve(resolved));
                if (!hash.equals(e.specHash())) {
                    problem("experiment.specHash", "is not the hash of resolvedSpec (" + hash + ")");
                }
            } catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
                problem("experiment.resolvedSpec", "is not a spec this deployment reads: " + firstLine(ex.getMessage()));
            }
        }
        List<Long> given = e.seeds() == null ? List.of() : e.seeds();
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null || !seeds.add(given.get(i))) {
                problem("experiment.seeds[" + i + "]", "must be a seed, given once");
            }
        }
        return seeds;
    }

    private Set<UUID> jobs(List<ArchiveManifest.Job> jobs) {
        Set<UUID> ids = new HashSet<>();
        List<ArchiveManifest.Job> list = jobs == null ? List.of() : jobs;
        for (int i = 0; i < list.size(); i++) {
            ArchiveManifest.Job job = list.get(i);
            String at = "jobs[" + i + "]";
            if (job == null || job.id() == null || !ids.add(job.id())) {
                problem(at + ".id", "must be a job id, given once");
                continue;
            }
            if (job.kind() == null || job.kind().isBlank()) {
                problem(at + ".kind", "is required");
            }
            if (job.params() != null && !job.params().isObject() && !job.params().isNull()) {
                problem(at + ".params", "must be an object");
            }
        }
        return ids;
    }

    private Set<String> files(List<ArchiveManifest.FileEntry> files) {
        Set<String> shas = new HashSet<>();
        List<ArchiveManifest.FileEntry> list = files == null ? List.of() : files;
        for (int i = 0; i < list.size(); i++) {
            ArchiveManifest.FileEntry file = list.get(i);
            String at = "files[" + i + "]";
            if (file == null || !Sha256.isValid(file.sha256())) {
                problem(at + ".sha256", "must be 64 lower-case hex digits");
                continue;
            }
            if (!shas.add(file.sha256())) {
                problem(at + ".sha256", "lists " + file.sha256() + " a second time");
            }
            if (!(ArchiveManifest.ARTIFACT_PREFIX + file.sha256()).equals(file.path())) {
                problem(at + ".path", "must be " + ArchiveManifest.ARTIFACT_PREFIX + file.sha256());
            }
            if (file.size() < 0) {
                problem(at + ".size", "must be 0 or more");
            }
            if (file.mediaType() == null || file.mediaType().isBlank()) {
                problem(at + ".mediaType", "is required");
            }
        }
        return shas;
    }

    private Set<UUID> tickets(List<ArchiveManifest.Ticket> tickets, Set<Long> seeds, Set<UUID> jobs, Set<String> listed) {
        Set<UUID> ids = new HashSet<>();
        Set<String> used = new HashSet<>();
        Set<String> places = new HashSet<>();
        Set<UUID> jobsWithTicket = new HashSet<>();
        Map<String, Integer> aliases = new HashMap<>();
        List<ArchiveManifest.Ticket> list = tickets == null ? List.of() : tickets;
        for (int i = 0; i < list.size(); i++) {
            ArchiveManifest.Ticket t = list.get(i);
            String at = "tickets[" + i + "]";
            if (t == null || t.id() == null || !ids.add(t.id())) {
                problem(at + ".id", "must be a ticket id, given once");
                continue;
            }
            if (t.kind() == null || !TICKET_KINDS.contains(t.kind())) {
                problem(at + ".kind", "must be one of " + String.join(", ", new java.util.TreeSet<>(TICKET_KINDS)));
                continue;
            }
            if (!seeds.contains(t.seed())) {
                problem(at + ".seed", "is not one of the experiment's seeds");
            }
            if (t.level() < 0) {
                problem(at + ".level", "must be 0 or more");
            }
            if (t.id().equals(t.parentTicketId())) {
                problem(at + ".parentTicketId", "must not be the ticket itself");
            }
            if (t.jobId() == null || !jobs.contains(t.jobId())) {
                problem(at + ".jobId", "must be the id of one of the manifest's jobs");
            }
            boolean snapshot = "snapshot".equals(t.kind());
            if (snapshot != (t.step() != null) || t.step() != null && t.step() < 1) {
                problem(at + ".step", snapshot ? "is required (1 or more) for a snapshot" : "is only for snapshots");
            }
            boolean calibrated = "calibrated".equals(t.kind());
            boolean calibration = t.calibration() != null && !t.calibration().isNull();
            if (calibrated != calibration || calibration && !t.calibration().isObject()) {
                problem(at + ".calibration", calibrated ? "is required (an object) for a calibrated ticket"
                        : "is only for calibrated tickets");
            }
            String place = snapshot ? t.seed() + "/" + t.level() + "/step " + t.step()
                    : calibrated ? null : t.seed() + "/" + t.level() + "/" + t.kind();
            if (place != null && !places.add(place)) {
                problem(at, "repeats the " + t.kind() + " ticket of seed " + t.seed() + " at level " + t.level()
                        + (snapshot ? " and step " + t.step() : ""));
            }
            if (!snapshot && t.jobId() != null && !jobsWithTicket.add(t.jobId())) {
                problem(at + ".jobId", "made another ticket already; a job makes one ticket besides its snapshots");
            }
            counts(t, at);
            if (t.layers() == null || !convertible(t.layers(), LAYERS)) {
                problem(at + ".layers", "must be an object of {total, remaining} by tensor name");
            }
            if (t.provenance() == null || !convertible(t.provenance(), STRINGS)) {
                problem(at + ".provenance", "must be an object of strings");
            }
            ArchiveManifest.Files files = t.files();
            if (files == null) {
                problem(at + ".files", "is required");
            } else {
                file(at + ".files.mask", files.mask(), listed, used);
                file(at + ".files.rewind", files.rewind(), listed, used);
                file(at + ".files.weights", files.weights(), listed, used);
            }
            labels(at + ".aliases", t.aliases());
            labels(at + ".tags", t.tags());
            for (String alias : t.aliases() == null ? List.<String>of() : t.aliases()) {
                Integer before = aliases.put(alias, i);
                if (before != null) {
                    problem(at + ".aliases", "alias " + alias + " names tickets[" + before + "] too; an alias names one ticket");
                }
            }
        }
        Set<String> unused = new HashSet<>(listed);
        unused.removeAll(used);
        unused.stream().sorted().forEach(sha -> problem("files", "lists " + sha + ", which no ticket names"));
        return ids;
    }

    private void counts(ArchiveManifest.Ticket t, String at) {
        if (t.prunableWeights() <= 0) {
            problem(at + ".prunableWeights", "must be positive");
        }
        if (t.remainingPrunable() < 0 || t.remainingPrunable() > t.prunableWeights()) {
            problem(at + ".remainingPrunable", "must be between 0 and prunableWeights");
        }
        if (t.totalParameters() < t.prunableWeights()) {
            problem(at + ".totalParameters", "must be at least prunableWeights");
        }
        if (t.remainingTotal() < t.remainingPrunable() || t.remainingTotal() > t.totalParameters()) {
            problem(at + ".remainingTotal", "must be between remainingPrunable and totalParameters");
        }
    }

    private void file(String at, String sha, Set<String> listed, Set<String> used) {
        if (!Sha256.isValid(sha)) {
            problem(at, "must be 64 lower-case hex digits");
        } else if (!listed.contains(sha)) {
            problem(at, "names " + sha + ", which the manifest's files do not list");
        } else {
            used.add(sha);
        }
    }

    private void labels(String at, List<String> labels) {
        if (labels == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label == null || !LABEL.matcher(label).matches() || !seen.add(label)) {
                problem(at, "must be distinct labels of letters, digits, '.', '_' and '-' (" + label + ")");
            }
        }
    }

    private void metrics(List<ArchiveManifest.Metric> metrics, Set<UUID> tickets, Set<UUID> jobs) {
        List<ArchiveManifest.Metric> list = metrics == null ? List.of() : metrics;
        for (int i = 0; i < list.size(); i++) {
            ArchiveManifest.Metric m = list.get(i);
            String at = "metrics[" + i + "]";
            if (m == null) {
                problem(at, "must not be null");
                continue;
            }
            if (m.ticketId() == null || !tickets.contains(m.ticketId())) {
                problem(at + ".ticketId", "must be the id of one of the manifest's tickets");
            }
            if (m.jobId() == null || !jobs.contains(m.jobId())) {
                problem(at + ".jobId", "must be the id of one of the manifest's jobs");
            }
            if (blank(m.dataset()) || blank(m.split()) || blank(m.name())) {
                problem(at, "must name its dataset, split and metric");
            }
            if (!Double.isFinite(m.value())) {
                problem(at + ".value", "must be a finite number");
            }
            if (m.conventions() != null && !m.conventions().isObject()) {
                problem(at + ".conventions", "must be an object");
            }
            if (m.details() != null && !m.details().isObject() && !m.details().isNull()) {
                problem(at + ".details", "must be an object");
            }
        }
    }

    private boolean convertible(JsonNode node, TypeReference<?> type) {
        if (!node.isObject()) {
            return false;
        }
        try {
            json.convertValue(node, type);
            return true;
        } catch (JacksonException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
