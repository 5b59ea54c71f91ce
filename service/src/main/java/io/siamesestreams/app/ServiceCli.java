package io.siamesestreams.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The service's own entry point ({@code siamese-service.jar}, what the Docker image runs): {@code
 * siamese run}. The other subcommands (topics, enroll, produce, watch, broker, demo) are the tools
 * module's {@code io.siamesestreams.cli.SiameseCli}; {@code ./siamese} dispatches each to its jar.
 */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = ServiceCli.Version.class,
    description = "Streaming identity verification on Apache Kafka with Siamese encoders: the service.",
    subcommands = {CommandLine.HelpCommand.class, RunCommand.class})
public final class ServiceCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line (also what tests parse with). */
  public static CommandLine newCommandLine() {
    return configured(new CommandLine(new ServiceCli()));
  }

  /**
   * {@code commandLine} with the error handling every {@code siamese} entry point shares: an
   * exception prints {@code siamese <command>: <message>} (the stack trace only with {@code
   * -Dsiamese.debug=true}) and exits with status 1.
   */
  public static CommandLine configured(CommandLine commandLine) {
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          cmd.getErr().println("siamese " + cmd.getCommandName() + ": " + exception.getMessage());
          if (Boolean.getBoolean("siamese.debug")) {
            exception.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest, or "development". */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ServiceCli.class.getPackage().getImplementationVersion();
      return new String[] {"siamese " + (version == null ? "development" : version)};
    }
  }
}
