package io.siamesestreams.gateway.cli;

import io.siamesestreams.app.ServiceCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The gateway jar's entry point ({@code siamese-gateway.jar}, what {@code ./siamese gateway} and the
 * gateway image run): {@code siamese gateway …}, with the service's error handling and version.
 */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = ServiceCli.Version.class,
    description = "Streaming identity verification on Apache Kafka with Siamese encoders: the camera gateway.",
    subcommands = {CommandLine.HelpCommand.class, GatewayCommand.class})
public final class GatewayCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line (also what tests parse with). */
  public static CommandLine newCommandLine() {
    return ServiceCli.configured(new CommandLine(new GatewayCli()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
