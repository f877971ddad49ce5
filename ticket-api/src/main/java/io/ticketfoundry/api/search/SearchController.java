package io.ticketfoundry.api.search;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.search.SearchViews.ExperimentSearchPage;
import io.ticketfoundry.api.search.SearchViews.TicketSearchPage;
import io.ticketfoundry.api.team.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Tickets and experiments found by a query over spec fields, ticket fields and metrics (docs/search.md). */
@RestController
@RequestMapping("/api/v1/search")
@Tag(name = "Search", description = "Find tickets and experiments with AND, OR, NOT, ranges and IN over any spec field, "
        + "ticket field and metric; sort by any of them; page with a cursor. The language: docs/search.md")
public class SearchController {

    static final String LANGUAGE = """
            The query language (docs/search.md): conditions `field op value` joined by AND, OR, NOT and parentheses; \
            NOT binds tighter than AND, AND tighter than OR; keywords in any case. Operators: = != (or <>) < <= > >=, \
            ~ and !~ (text contains, any case), IN (a, b), NOT IN, BETWEEN a AND b (inclusive), IS NULL, IS NOT NULL. \
            Values are numbers, true/false, bare words (letters, digits, _ . - +) or quoted strings ('...' or "...", \
            a doubled quote or a backslash escaping). Fields: any resolved-spec path (spec.training.learningRate, \
            spec.pruning.strategy, spec.pruning.layerFractions.fc1.weight; a list field such as spec.controls takes = \
            and IN as 'holds'; a section takes IS [NOT] NULL) with the shorthands model, dataset, optimizer and \
            objective (spec.training.objective.kind); the experiment's name, created (2025-03-01 or an ISO instant) \
            and experiment (its id); the ticket's seed, level, kind, sparsity and remaining (fractions of the prunable \
            weights); and the metrics accuracy, accuracy-top5, per-class-accuracy, ece, nll, brier, sce, mce, \
            ood-auroc: the ticket's value on the test split of its experiment's dataset (the row its own job measured, \
            else the most recent), or on another dataset and split with metric[dataset], metric[dataset:split] or \
            metric[:split]. A condition on a value the row lacks is false, whatever the operator; NOT makes it true. \
            Errors are 400 naming q, sort, limit or cursor, with the position (from 1) in the message.""";

    private static final String Q = "the query; empty or absent: everything the token may read";
    private static final String SORT = "a field or metric as in q, '-' before it for descending; NULLs last, ties by "
            + "id; default -created (the experiment's creation, newest first)";
    private static final String LIMIT = "page size, 1 to 200; default 50";
    private static final String CURSOR = "the next cursor of the previous page; q and sort must stay the same";

    private final SearchService search;

    public SearchController(SearchService search) {
        this.search = search;
    }

    @GetMapping("/tickets")
    @Operation(summary = "Search tickets",
            description = "Every ticket (any kind: imp, controls, calibrated, snapshots, transfers) of the experiments the "
                    + "token may read that satisfies q, with its experiment's id and name, seed, level, kind, sparsity and "
                    + "headline metrics (accuracy, ECE, NLL, Brier on the test split of the experiment's dataset). "
                    + "Spec fields are the ticket's experiment's. Team tokens only (worker and platform-admin tokens: "
                    + "403). " + LANGUAGE)
    public TicketSearchPage searchTickets(
            @Parameter(description = Q, examples = {
                @ExampleObject(name = "issue", summary = "well-calibrated, very sparse CIFAR-10 tickets",
                        value = "dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3)"),
                @ExampleObject(name = "spec", summary = "spec paths, IN and NOT",
                        value = "spec.training.learningRate <= 0.05 AND objective IN (vwcc, mixup) AND NOT kind = snapshot"),
                @ExampleObject(name = "other data", summary = "a metric on another dataset and split",
                        value = "ece[mnist:train] BETWEEN 0.01 AND 0.03 AND level >= 2")})
            @RequestParam(required = false) String q,
            @Parameter(description = SORT, examples = {
                @ExampleObject(name = "ece", summary = "lowest ECE first", value = "ece"),
                @ExampleObject(name = "accuracy", summary = "highest accuracy first", value = "-accuracy")})
            @RequestParam(required = false) String sort,
            @Parameter(description = LIMIT) @RequestParam(required = false) Integer limit,
            @Parameter(description = CURSOR) @RequestParam(required = false) String cursor) {
        return search.tickets(Caller.current(), q, sort, limit, cursor);
    }

    @GetMapping("/experiments")
    @Operation(summary = "Search experiments",
            description = "The experiments the token may read that satisfy q. Spec and experiment fields are the "
                    + "experiment's; ticket fields and metrics are its tickets': an experiment matches when one of its "
                    + "tickets satisfies the whole query (the same ticket for every ticket condition), and an experiment "
                    + "without tickets is tested as one ticket with every ticket field and metric missing (so "
                    + "dataset = mnist finds it, level = 0 does not). matchingTickets counts the tickets that satisfy q. "
                    + "Sorting by a ticket field or metric orders by its smallest value over the matching tickets when "
                    + "ascending, its largest when descending. Team tokens only (worker and platform-admin tokens: 403). "
                    + LANGUAGE)
    public ExperimentSearchPage searchExperiments(
            @Parameter(description = Q, examples = {
                @ExampleObject(name = "issue", summary = "experiments with a well-calibrated, very sparse CIFAR-10 ticket",
                        value = "dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3)"),
                @ExampleObject(name = "spec", summary = "spec only",
                        value = "name ~ resnet AND spec.pruning.strategy IN (snip, grasp) AND created >= 2025-01-01")})
            @RequestParam(required = false) String q,
            @Parameter(description = SORT, examples = {
                @ExampleObject(name = "best accuracy", summary = "best ticket accuracy first", value = "-accuracy"),
                @ExampleObject(name = "name", summary = "by name", value = "name")})
            @RequestParam(required = false) String sort,
            @Parameter(description = LIMIT) @RequestParam(required = false) Integer limit,
            @Parameter(description = CURSOR) @RequestParam(required = false) String cursor) {
        return search.experiments(Caller.current(), q, sort, limit, cursor);
    }
}
