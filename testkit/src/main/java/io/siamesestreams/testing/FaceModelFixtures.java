package io.siamesestreams.testing;

import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.convert.NpmPackage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * The real face models for streams tests: face-api's npm tarball converted into a face model folder
 * ({@code face-recognition/}, {@code face-detector/}, {@code face-landmarks/}), and its sample
 * photos.
 *
 * <p>The tarball is found at the system property {@code siamese.faceapi.tgz}, else the environment
 * variable {@code SIAMESE_FACEAPI_TGZ}, else {@value #DEFAULT_TGZ} (relative to the streams module).
 * When it is missing (the faces module's build fetches it with npm) the calling test is reported
 * skipped with a one-line reason naming npm.
 */
public final class FaceModelFixtures {

  public static final String DEFAULT_TGZ = "../faceapi/vladmandic-face-api-1.7.15.tgz";

  private static NpmPackage photos;

  private FaceModelFixtures() {}

  /** The tarball; skips the calling test (JUnit assumption) with a reason naming npm when it is absent. */
  public static Path tarball() {
    String configured = System.getProperty("siamese.faceapi.tgz");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("SIAMESE_FACEAPI_TGZ");
    }
    Path path = Path.of(configured == null || configured.isBlank() ? DEFAULT_TGZ : configured);
    if (!Files.isRegularFile(path)) {
      Assumptions.abort("needs npm: face-api's tarball is missing at " + path.toAbsolutePath()
          + " (install npm and rebuild, or run faces/fetch-faceapi.sh)");
    }
    return path;
  }

  /** Converts the tarball into the face model folder {@code dir} (about 2 s); returns {@code dir}. */
  public static Path convert(Path dir) {
    FaceApiConverter.convert(tarball(), dir);
    return dir;
  }

  /** A sample photo of the tarball ({@code sample1.jpg} … {@code sample6.jpg}), decoded. */
  public static BufferedImage photo(String name) {
    try {
      return ImageIO.read(new ByteArrayInputStream(photoBytes(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JPEG bytes of a sample photo. */
  public static synchronized byte[] photoBytes(String name) {
    if (photos == null) {
      photos = NpmPackage.read(tarball(), "demo/");
    }
    return photos.bytes("demo/" + name);
  }

  /** {@code image} encoded as PNG. */
  public static byte[] png(BufferedImage image) {
    return TestBundles.png(image);
  }
}
