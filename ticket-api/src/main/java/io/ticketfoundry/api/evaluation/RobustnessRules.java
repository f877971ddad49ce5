package io.ticketfoundry.api.evaluation;

import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.protocol.CorruptedSet;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.FgsmParams;
import io.ticketfoundry.common.protocol.OodParams;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The robustness parts of an evaluate request ({@code ood}, {@code fgsm}, {@code corruptions} with
 * {@code referenceTicketId}): checked field by field, defaults filled in. An absent part stays
 * absent (not computed), so requests without them keep their request hash.
 */
@Component
class RobustnessRules {

    static final int MAX_SEVERITY = 5;
    static final int MAX_NAME_LENGTH = 100;

    /** The ticket an evaluate request is made for, as far as these rules need it. */
    record Target(UUID id, UUID experimentId, UUID teamId, long seed, ExperimentSpec spec) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final DataSelectionRules rules;

    RobustnessRules(JdbcClient jdbc, JsonMapper json, DataSelectionRules rules) {
        this.jdbc = jdbc;
        this.json = json;
        this.rules = rules;
    }

    /** {@code ood} with defaults filled (null when absent); its problems under {@code ood}. */
    OodParams ood(OodParams ood, Target ticket, List<FieldProblem> problems) {
        if (ood == null) {
            return null;
        }
        if ((ood.dataset() == null) == (ood.gaussianNoise() == null)) {
            problems.add(new FieldProblem("ood", "give either dataset (with split, half, seed) or gaussianNoise"));
            return ood;
        }
        if (ood.gaussianNoise() != null) {
            if (ood.split() != null || ood.half() != null || ood.seed() != null) {
                problems.add(new FieldProblem("ood", "split, half and seed only apply to a dataset, not to gaussianNoise"));
            }
            OodParams.GaussianNoise noise = ood.gaussianNoise().withDefaults();
            if (noise.count() < 1 || noise.count() > OodParams.GaussianNoise.MAX_COUNT) {
                problems.add(new FieldProblem("ood.gaussianNoise.count",
                        "must be between 1 and " + OodParams.GaussianNoise.MAX_COUNT));
            }
            if (!Double.isFinite(noise.mean())) {
                problems.add(new FieldProblem("ood.gaussianNoise.mean", "must be a finite number (pixel space, [0, 1] scale)"));
            }
            if (!Double.isFinite(noise.std()) || noise.std() < 0) {
                problems.add(new FieldProblem("ood.gaussianNoise.std", "must be a finite number, 0 or more (pixel space)"));
            }
            return new OodParams(null, null, null, null, noise);
        }
        DataSelection selection = ood.selection().withDefaults(ticket.spec().dataset());
        rules.check(selection, ticket.teamId(), ticket.spec().dataset(), false, "ood", problems);
        return new OodParams(selection.dataset(), selection.split(), selection.half(), selection.seed(), null);
    }

    /** {@code fgsm} as given (null when absent); its problems under {@code fgsm}. */
    FgsmParams fgsm(FgsmParams fgsm, List<FieldProblem> problems) {
        if (fgsm == null) {
            return null;
        }
        List<Double> epsilons = fgsm.epsilons();
        if (epsilons == null || epsilons.isEmpty()) {
            problems.add(new FieldProblem("fgsm.epsilons", "is required: one or more ε in [0, 1] (pixel space)"));
            return fgsm;
        }
        if (epsilons.size() > FgsmParams.MAX_EPSILONS) {
            problems.add(new FieldProblem("fgsm.epsilons", "at most " + FgsmParams.MAX_EPSILONS + " values"));
        }
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < epsilons.size(); i++) {
            double epsilon = epsilons.get(i);
            if (!Double.isFinite(epsilon) || epsilon < 0 || epsilon > 1) {
                problems.add(new FieldProblem("fgsm.epsilons[" + i + "]", "must be in [0, 1] (pixel space)"));
            } else if (!seen.add(epsilon == 0 ? 0.0 : epsilon)) {
                problems.add(new FieldProblem("fgsm.epsilons[" + i + "]", "repeats an earlier ε"));
            }
        }
        return fgsm;
    }

    /** The corrupted sets with defaults filled (null when absent); their problems under {@code corruptions}. */
    List<CorruptedSet> corruptions(List<CorruptedSet> corruptions, Target ticket, List<FieldProblem> problems) {
        if (corruptions == null) {
            return null;
        }
        if (corruptions.isEmpty()) {
            problems.add(new FieldProblem("corruptions", "must list at least one corrupted dataset (or be absent)"));
            return corruptions;
        }
        if (corruptions.size() > CorruptedSet.MAX_SETS) {
            problems.add(new FieldProblem("corruptions", "at most " + CorruptedSet.MAX_SETS + " sets"));
        }
        List<CorruptedSet> filled = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < corruptions.size(); i++) {
            String at = "corruptions[" + i + "]";
            CorruptedSet set = corruptions.get(i).withDefaults();
            if (set.dataset() == null) {
                problems.add(new FieldProblem(at + ".dataset", "is required"));
            } else {
                rules.check(set.selection(), ticket.teamId(), ticket.spec().dataset(), true, at, problems);
            }
            if (set.corruption() == null || set.corruption().isBlank() || set.corruption().length() > MAX_NAME_LENGTH) {
                problems.add(new FieldProblem(at + ".corruption", "is required: the corruption's name (e.g. fog), at most "
                        + MAX_NAME_LENGTH + " characters"));
            }
            if (set.severity() == null || set.severity() < 1 || set.severity() > MAX_SEVERITY) {
                problems.add(new FieldProblem(at + ".severity", "is required: a whole number from 1 to " + MAX_SEVERITY));
            } else if (set.corruption() != null && !seen.add(set.corruption() + "\n" + set.severity())) {
                problems.add(new FieldProblem(at + ".severity", "corruption " + set.corruption() + " at severity "
                        + set.severity() + " is listed twice"));
            }
            filled.add(set);
        }
        return filled;
    }

    /**
     * The reference ticket of an mCE: the one named, or the dense level-0 IMP ticket of the same
     * experiment and seed. It must be readable by the caller's team and have the ticket's model and
     * training dataset (the same classes and the same input normalisation). Null when there are no
     * corruptions (a reference given then is a problem) or when a problem was added.
     */
    UUID reference(UUID requested, List<CorruptedSet> corruptions, Target ticket, List<FieldProblem> problems) {
        if (corruptions == null) {
            if (requested != null) {
                problems.add(new FieldProblem("referenceTicketId", "only applies with corruptions"));
            }
            return null;
        }
        if (requested == null) {
            Optional<UUID> dense = jdbc.sql("""
                    SELECT id FROM ticket WHERE experiment_id = :experiment AND seed = :seed AND level = 0
                                            AND kind = 'imp' AND remaining_prunable = prunable_weights""")
                    .param("experiment", ticket.experimentId()).param("seed", ticket.seed())
                    .query(UUID.class).optional();
            if (dense.isEmpty()) {
                problems.add(new FieldProblem("referenceTicketId", "is required: experiment " + ticket.experimentId()
                        + " has no dense level-0 IMP ticket for seed " + ticket.seed() + " to normalise the mCE by"));
                return null;
            }
            return dense.get();
        }
        record Reference(UUID teamId, ExperimentSpec spec) {
        }
        Optional<Reference> found = jdbc.sql("""
                SELECT e.team_id, e.resolved_spec::text AS spec FROM ticket t JOIN experiment e ON e.id = t.experiment_id
                WHERE t.id = :id AND t.deleted_at IS NULL""")
                .param("id", requested)
                .query((rs, n) -> new Reference(rs.getObject("team_id", UUID.class),
                        json.readValue(rs.getString("spec"), ExperimentSpec.class).withDefaults()))
                .optional();
        if (found.isEmpty() || !found.get().teamId().equals(ticket.teamId())) {
            // a foreign ticket is answered as a missing one, so its existence does not leak
            problems.add(new FieldProblem("referenceTicketId", "ticket " + requested + " does not exist"));
            return null;
        }
        ExperimentSpec spec = found.get().spec();
        if (!spec.model().equals(ticket.spec().model()) || !spec.dataset().equals(ticket.spec().dataset())) {
            problems.add(new FieldProblem("referenceTicketId", "ticket " + requested + " is a " + spec.model()
                    + " trained on " + spec.dataset() + "; the mCE needs a reference of the same model and training "
                    + "data (" + ticket.spec().model() + " on " + ticket.spec().dataset() + ")"));
            return null;
        }
        return requested;
    }
}
