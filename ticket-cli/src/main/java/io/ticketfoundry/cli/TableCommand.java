package io.ticketfoundry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Print an experiment's tickets per level: remaining weights, accuracy, ECE, NLL, Brier.")
final class TableCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", description = "experiment id")
    String experimentId;

    @Override
    public Integer call() throws Exception {
        System.out.print(LevelTable.render(connection.client().get("api/v1/experiments/" + experimentId + "/tickets")));
        return 0;
    }
}
