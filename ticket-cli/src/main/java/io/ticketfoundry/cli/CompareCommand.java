package io.ticketfoundry.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare experiments per sparsity level (mean ± std over seeds) as Markdown tables, "
                + "and save the figure.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "0..*", description = "experiment ids (or use --sweep)")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--sweep", description = "compare every experiment of this sweep, in grid order")
    String sweep;

    @Option(names = "--metrics", defaultValue = "accuracy,ece,nll,brier", description = "default ${DEFAULT-VALUE}")
    String metrics;

    @Option(names = "--split", description = "split whose values are compared (default test)")
    String split;

    @Option(names = "--dataset", description = "dataset whose values are compared (default each experiment's own)")
    String dataset;

    @Option(names = "--ticket-kind", description = "imp (default), calibrated, control-reinit, ...")
    String ticketKind;

    @Option(names = "--final", description = "one row per experiment at its last level (e.g. a target sparsity)")
    boolean finalLevels;

    @Option(names = "--plot", description = "save the figure here (.png or .svg)")
    Path plot;

    @Option(names = "--json", description = "save the comparison's JSON here")
    Path jsonFile;

    @Override
    public Integer call() throws Exception {
        ApiClient client = connection.client();
        List<String> ids = new ArrayList<>(experiments);
        if (sweep != null) {
            ids.addAll(client.sweepExperiments(sweep));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("name experiments or a --sweep");
        }
        String query = query(ids, metrics, dataset, split, ticketKind);
        JsonNode comparison = client.get("api/v1/comparisons?" + query);
        System.out.print(finalLevels ? ComparisonTable.renderFinal(comparison) : ComparisonTable.render(comparison));
        if (jsonFile != null) {
            java.nio.file.Files.writeString(jsonFile, client.json().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(comparison));
        }
        if (plot != null) {
            String format = plot.getFileName().toString().endsWith(".svg") ? "svg" : "png";
            client.download("api/v1/comparisons/plot." + format + "?" + query, plot);
            System.out.println("\nFigure: " + plot);
        }
        return 0;
    }

    static String query(List<String> ids, String metrics, String dataset, String split, String ticketKind) {
        StringBuilder query = new StringBuilder("experiments=").append(encode(String.join(",", ids)))
                .append("&metrics=").append(encode(metrics));
        if (dataset != null) {
            query.append("&dataset=").append(encode(dataset));
        }
        if (split != null) {
            query.append("&split=").append(encode(split));
        }
        if (ticketKind != null) {
            query.append("&ticketKind=").append(encode(ticketKind));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
