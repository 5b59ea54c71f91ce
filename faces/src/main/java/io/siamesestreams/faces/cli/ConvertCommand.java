package io.siamesestreams.faces.cli;

import io.siamesestreams.faces.convert.FaceApiConverter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code convert faceapi --package FILE.tgz --out DIR}: face-api's nets to ONNX bundles. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Converts pretrained models into bundles the service loads.",
    subcommands = {ConvertCommand.FaceApi.class})
public final class ConvertCommand implements Runnable {

  @Override
  public void run() {
    throw new ParameterException(new CommandLine(this), "name a model family, e.g. faceapi");
  }

  /** The faceapi subcommand. */
  @Command(name = "faceapi", mixinStandardHelpOptions = true,
      description = {
          "Reads the npm tarball of @vladmandic/face-api (npm pack @vladmandic/face-api@1.7.15) and writes",
          "DIR/face-recognition (model bundle), DIR/face-detector and DIR/face-landmarks."})
  static final class FaceApi implements Callable<Integer> {

    @Option(names = "--package", required = true, paramLabel = "FILE.tgz", description = "the npm tarball")
    Path packageTgz;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    Path out;

    @Override
    public Integer call() {
      long start = System.nanoTime();
      FaceApiConverter.Result result = FaceApiConverter.convert(packageTgz, out);
      System.out.printf("face-api %s converted in %.1f s:%n  %s%n  %s%n  %s%n", result.packageVersion(),
          (System.nanoTime() - start) / 1e9, result.recognition(), result.detector(), result.landmarks());
      return 0;
    }
  }
}
