package io.siamesestreams.faces.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the faces jar: {@code convert faceapi --package FILE.tgz --out DIR}. */
@Command(name = "siamese", mixinStandardHelpOptions = true,
    description = "Siamese Streams face tools.",
    subcommands = {ConvertCommand.class})
public final class FacesCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every faces command registered (for embedding in another CLI). */
  public static CommandLine commandLine() {
    return new CommandLine(new FacesCli());
  }
}
