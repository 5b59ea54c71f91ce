package io.siamesestreams.cli;

import io.siamesestreams.app.ServiceCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code siamese}: the command line of the tools around the service. Every subcommand is its own class
 * in this package; {@code siamese help <command>} prints its options. {@code siamese run} is the
 * service's own entry point ({@link ServiceCli}) and {@code siamese bench} the bench module's.
 */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = ServiceCli.Version.class,
    description = "Streaming identity verification on Apache Kafka with Siamese encoders.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      BrokerCommand.class,
      TopicsCommand.class,
      EnrollCommand.class,
      ProduceCommand.class,
      WatchCommand.class
    })
public final class SiameseCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line (also what tests parse with). */
  public static CommandLine newCommandLine() {
    return ServiceCli.configured(new CommandLine(new SiameseCli()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
