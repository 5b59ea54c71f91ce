package io.siamesestreams.bench;

import io.siamesestreams.app.ServiceCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The bench module's entry point ({@code siamese-bench.jar}): {@code siamese bench}. */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = ServiceCli.Version.class,
    description = "Streaming identity verification on Apache Kafka with Siamese encoders: the benchmark.",
    subcommands = {CommandLine.HelpCommand.class, BenchCommand.class})
public final class BenchCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured picocli command line (also what tests parse with). */
  public static CommandLine newCommandLine() {
    return ServiceCli.configured(new CommandLine(new BenchCli()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
