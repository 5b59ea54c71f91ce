package io.siamesestreams.faces;


import io.siamesestreams.faces.align.FaceAligner;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.convert.NpmPackage;
import io.siamesestreams.faces.image.RgbImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * The test fixtures that come from face-api's npm tarball: the tarball itself, the bundles converted
 * from it (once per JVM, under the build folder), the sample photos and the parity inputs.
 *
 * <p>The tarball is found at the system property {@code siamese.faceapi.tgz}, else the environment
 * variable {@code SIAMESE_FACEAPI_TGZ}, else {@code siamese.faceapi.tgz.default} (set by the faces
 * pom to {@code <project>/faceapi/vladmandic-face-api-1.7.15.tgz}), else
 * {@code ../faceapi/vladmandic-face-api-1.7.15.tgz} from the working directory. When it is missing the tests are skipped with a reason naming npm.
 */
public final class FaceApiFixtures {

  public static final String DEFAULT_TGZ = "../faceapi/vladmandic-face-api-1.7.15.tgz";

  /**
   * The parity chips: 150×150 aligned chips cut from the sample photos with fixed eye positions
   * {photo, left eye x, y, right eye x, y}, so they do not depend on the detector or landmarks.
   */
  static final Object[][] PARITY_CHIPS = {
      {"sample1.jpg", 870.9, 552.4, 943.2, 513.6},
      {"sample2.jpg", 1484.1, 276.2, 1561.3, 253.6},
      {"sample3.jpg", 628.9, 432.1, 721.8, 433.6},
      {"sample5.jpg", 423.4, 994.2, 517.3, 980.0},
      {"sample6.jpg", 321.7, 606.0, 424.0, 592.5},
  };

  /** The parity frames for the detector: {photo, detector input size}. */
  static final Object[][] PARITY_FRAMES = {
      {"sample1.jpg", 416},
      {"sample5.jpg", 416},
      {"sample3.jpg", 320},
  };

  private static NpmPackage npm;
  private static Path bundles;

  private FaceApiFixtures() {}

  /**
   * The tarball path. When it is absent (the build fetches it with npm; a machine without npm has
   * none) the calling test is reported skipped with a one-line reason naming npm.
   */
  public static Path tarball() {
    String configured = System.getProperty("siamese.faceapi.tgz");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("SIAMESE_FACEAPI_TGZ");
    }
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("siamese.faceapi.tgz.default", DEFAULT_TGZ);
    }
    Path path = Path.of(configured);
    if (!Files.isRegularFile(path)) {
      Assumptions.abort("needs npm: face-api's tarball is missing at " + path.toAbsolutePath()
          + " (install npm and rebuild, or run faces/fetch-faceapi.sh)");
    }
    return path;
  }

  /** The tarball's demo photos (read once). */
  public static synchronized NpmPackage demoPhotos() {
    if (npm == null) {
      npm = NpmPackage.read(tarball(), "demo/");
    }
    return npm;
  }

  /** A demo photo ({@code sample1.jpg} … {@code sample6.jpg}) decoded by ImageIO. */
  public static RgbImage photo(String name) {
    try {
      return RgbImage.of(ImageIO.read(new ByteArrayInputStream(demoPhotos().bytes("demo/" + name))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The three bundles converted from the tarball, once per JVM, under the build folder. */
  public static synchronized Path bundles() {
    if (bundles == null) {
      Path out = Path.of(System.getProperty("siamese.build.dir", "target")).resolve("faceapi-bundles");
      FaceApiConverter.convert(tarball(), out);
      bundles = out;
    }
    return bundles;
  }

  /** The parity chips by name ({@code chip0} …), in {@link #PARITY_CHIPS} order. */
  public static Map<String, RgbImage> parityChips() {
    FaceAligner aligner = new FaceAligner();
    Map<String, RgbImage> chips = new LinkedHashMap<>();
    for (int i = 0; i < PARITY_CHIPS.length; i++) {
      Object[] c = PARITY_CHIPS[i];
      RgbImage photo = photo((String) c[0]);
      chips.put("chip" + i, aligner.align(photo, new double[] {(double) c[1], (double) c[2]},
          new double[] {(double) c[3], (double) c[4]}));
    }
    return chips;
  }

  /** SHA-256 of the raw RGB bytes, hex. */
  public static String sha256(RgbImage image) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image.rgb()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
