package io.siamesestreams.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the trainer jar: {@code ./siamese train} and {@code ./siamese eval}. */
@Command(
    name = "siamese",
    mixinStandardHelpOptions = true,
    versionProvider = TrainerCli.Version.class,
    description = "Train, evaluate and export Siamese encoders as model bundles.",
    subcommands = {TrainCommand.class, EvalCommand.class, CalibrateCommand.class, CommandLine.HelpCommand.class})
public final class TrainerCli {

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainerCli()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TrainerCli.class.getPackage().getImplementationVersion();
      return new String[] {"siamese-trainer " + (v == null ? "dev" : v)};
    }
  }
}
