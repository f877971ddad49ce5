package io.ticketfoundry.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Show an experiment's progress until its jobs end, then its table of tickets.")
final class WatchCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", description = "experiment id")
    String experimentId;

    @Option(names = "--timeout", defaultValue = "PT2H", description = "give up after this long (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        ApiClient client = connection.client();
        boolean succeeded = new ExperimentWatcher(client, System.out).waitForEnd(experimentId, timeout);
        System.out.println();
        System.out.print(LevelTable.render(client.get("api/v1/experiments/" + experimentId + "/tickets")));
        return succeeded ? 0 : 1;
    }
}
