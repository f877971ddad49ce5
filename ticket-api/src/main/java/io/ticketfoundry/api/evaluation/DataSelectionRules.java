package io.ticketfoundry.api.evaluation;

import io.ticketfoundry.api.dataset.DatasetService;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Checks a {@link DataSelection} against what a ticket can be scored on: a dataset the ticket's
 * team may use, with the classes and example shape of the dataset the ticket was trained on, a
 * split it has, and a well-formed half.
 */
@Component
class DataSelectionRules {

    private final DatasetService datasets;

    DataSelectionRules(DatasetService datasets) {
        this.datasets = datasets;
    }

    /** Adds the problems of {@code selection} (defaults filled) under {@code path}. */
    void check(DataSelection selection, UUID teamId, String trainedOn, String path, List<FieldProblem> problems) {
        check(selection, teamId, trainedOn, true, path, problems);
    }

    /**
     * As {@link #check(DataSelection, UUID, String, String, List)}; with {@code sameClasses} false
     * the class count may differ (out-of-distribution data, whose labels are not used).
     */
    void check(DataSelection selection, UUID teamId, String trainedOn, boolean sameClasses, String path,
            List<FieldProblem> problems) {
        Optional<ModelCatalog.DatasetInfo> target = datasets.lookup(teamId, selection.dataset());
        if (target.isEmpty()) {
            problems.add(new FieldProblem(path + ".dataset", "\"" + selection.dataset()
                    + "\" is not a dataset this team can use (GET /api/v1/datasets lists them)"));
        } else {
            ModelCatalog.DatasetInfo source = datasets.lookup(teamId, trainedOn).orElseThrow();
            if (sameClasses && target.get().numClasses() != source.numClasses()) {
                problems.add(new FieldProblem(path + ".dataset", selection.dataset() + " has "
                        + target.get().numClasses() + " classes; the ticket was trained on " + trainedOn + " with "
                        + source.numClasses()));
            } else if (!target.get().inputShape().equals(source.inputShape())) {
                problems.add(new FieldProblem(path + ".dataset", selection.dataset() + " has examples of shape "
                        + target.get().inputShape() + "; the ticket takes " + source.inputShape()));
            }
            List<String> splits = datasets.splits(teamId, selection.dataset());
            if (!splits.contains(selection.split())) {
                problems.add(new FieldProblem(path + ".split", "must be one of " + splits + " for "
                        + selection.dataset()));
            }
        }
        if (selection.half() != null && !DataSelection.HALVES.contains(selection.half())) {
            problems.add(new FieldProblem(path + ".half", "must be \"a\" or \"b\" (or absent for the whole split)"));
        }
        if (selection.seed() != null && selection.half() == null) {
            problems.add(new FieldProblem(path + ".seed", "only applies to a half"));
        } else if (selection.seed() != null && selection.seed() < 0) {
            problems.add(new FieldProblem(path + ".seed", "must be 0 or more"));
        }
    }

    /** Whether two selections (defaults filled) share examples: same split, and not two different halves of it. */
    static boolean overlap(DataSelection a, DataSelection b) {
        if (!a.dataset().equals(b.dataset()) || !a.split().equals(b.split())) {
            return false;
        }
        if (a.half() == null || b.half() == null) {
            return true;
        }
        return a.half().equals(b.half()) || !a.seed().equals(b.seed());
    }
}
