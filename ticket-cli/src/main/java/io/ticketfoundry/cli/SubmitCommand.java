package io.ticketfoundry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit an experiment ({name, spec, seeds} JSON); prints its id. An identical spec returns the existing experiment.")
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", description = "the request file")
    Path file;

    @Override
    public Integer call() throws Exception {
        JsonNode experiment = connection.client().post("api/v1/experiments", Files.readString(file));
        System.out.println(experiment.path("id").asString());
        return 0;
    }
}
