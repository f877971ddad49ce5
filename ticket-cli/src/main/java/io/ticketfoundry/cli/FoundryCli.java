package io.ticketfoundry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "foundry", mixinStandardHelpOptions = true, versionProvider = FoundryCli.Version.class,
        description = "Ticket Foundry from the command line.",
        subcommands = {ExampleCommand.class, SubmitCommand.class, WatchCommand.class, TableCommand.class,
                CompareCommand.class, CalibrateCommand.class})
public class FoundryCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new FoundryCli()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FoundryCli.class.getPackage().getImplementationVersion();
            return new String[] {"foundry " + (version == null ? "dev" : version)};
        }
    }
}
