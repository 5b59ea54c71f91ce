package io.siamesestreams.cli;

import io.siamesestreams.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code siamese}: the command line of Siamese Streams. Every subcommand is its own class in this
 * package; {@code siamese help <command>} prints its options.
 */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = SiameseCli.Version.class,
    description = "Streaming identity verification on Apache Kafka with Siamese encoders.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      BrokerCommand.class,
      RunCommand.class,
      TopicsCommand.class,
      EnrollCommand.class,
      ProduceCommand.class,
      WatchCommand.class,
      BenchCommand.class
    })
public final class SiameseCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line (also what tests parse with). */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new SiameseCli());
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
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SiameseCli.class.getPackage().getImplementationVersion();
      return new String[] {"siamese " + (version == null ? "development" : version)};
    }
  }
}
