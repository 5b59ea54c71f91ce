package io.siamesestreams.demo;

import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.frames.FaceExtraction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Where {@code siamese demo --model faces} finds its face model, making it on first use:
 * {@code <root>/models/faces} (git-ignored), converted by {@link FaceApiConverter} from face-api's
 * npm tarball {@code <root>/faceapi/vladmandic-face-api-1.7.15.tgz}, which is fetched by
 * {@code <root>/faces/fetch-faceapi.sh} (npm) when it is absent. Every step is printed.
 */
public final class FaceModels {

  /** The {@code --model} value that selects the faces demo. */
  public static final String NAME = "faces";
  private static final String FETCH_SCRIPT_NAME = "fetch-faceapi.sh";
  public static final Path MODEL_FOLDER = Path.of("models", "faces");
  public static final Path TARBALL = Path.of("faceapi", "vladmandic-face-api-1.7.15.tgz");
  public static final Path FETCH_SCRIPT = Path.of("faces", FETCH_SCRIPT_NAME);

  private FaceModels() {}

  /**
   * The checkout the running code was built in ({@code <root>/streams/target…/classes} or
   * {@code <root>/streams/target…/siamese-streams.jar} → {@code <root>}), recognised by its
   * {@code faces/fetch-faceapi.sh}; the working directory when the code runs from elsewhere.
   */
  public static Path checkoutRoot() {
    try {
      CodeSource source = FaceModels.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path root = Path.of(source.getLocation().toURI()).toAbsolutePath();
        for (int up = 0; up < 3 && root != null; up++) {
          root = root.getParent();
        }
        if (root != null && Files.isRegularFile(root.resolve(FETCH_SCRIPT))) {
          return root;
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // an unusual code source: fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** The tarball under the checkout {@code root}, fetched with the setup script when absent. */
  public static Path tarball(Path root, PrintStream progress) {
    Path tarball = root.resolve(TARBALL);
    if (Files.isRegularFile(tarball)) {
      return tarball;
    }
    Path script = root.resolve(FETCH_SCRIPT);
    progress.println("demo: face-api's npm tarball is not at " + tarball + "; fetching it with " + script);
    try {
      Process fetch = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      int status = fetch.waitFor();
      if (status != 0 || !Files.isRegularFile(tarball)) {
        throw new IllegalStateException(script + " failed (exit " + status + "); fetch " + TARBALL
            + " by hand (npm pack @vladmandic/face-api@1.7.15)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching the tarball", e);
    }
    return tarball;
  }

  /**
   * The face model folder {@code <root>/models/faces}, converted from the tarball when it is not
   * there yet.
   */
  public static Path faceModel(Path root, Path tarball, PrintStream progress) {
    Path folder = root.resolve(MODEL_FOLDER);
    if (FaceExtraction.isFaceModel(folder)) {
      progress.println("demo: face model " + folder + " (converted earlier from " + TARBALL + ")");
      return folder;
    }
    progress.println("demo: converting face-api's nets from " + tarball + " into " + folder
        + " (siamese convert faceapi; once)");
    FaceApiConverter.Result result = FaceApiConverter.convert(tarball, folder);
    progress.println("demo: wrote " + result.recognition() + ", " + result.detector() + ", " + result.landmarks());
    return folder;
  }
}
