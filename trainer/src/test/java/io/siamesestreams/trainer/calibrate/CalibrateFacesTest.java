package io.siamesestreams.trainer.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.convert.NpmPackage;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.ImageTransforms;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.trainer.cli.TrainerCli;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code calibrate} on a face model folder converted from face-api's tarball and a folder of people
 * made from face-api's sample photos with augmentation: each face the detector finds in the six photos
 * is a person, with five photos: the region around the face (face about half of it) as is, flipped and
 * darker, and two tight crops (the face box itself, 150 px; one blurred), which only the close-up pass
 * finds. One person's folder also holds a face-less image, which must be skipped.
 */
class CalibrateFacesTest {

  @TempDir static Path dir;
  static Path faceModel;
  static Path data;
  static int people;

  /** face-api's tarball: -Dsiamese.faceapi.tgz, SIAMESE_FACEAPI_TGZ, or the repository's faceapi/ folder. */
  static Path tarball() {
    String configured = System.getProperty("siamese.faceapi.tgz");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("SIAMESE_FACEAPI_TGZ");
    }
    Path path = Path.of(configured == null || configured.isBlank() ? "../faceapi/vladmandic-face-api-1.7.15.tgz" : configured);
    if (!Files.isRegularFile(path)) {
      fail("face-api's npm tarball is missing at " + path.toAbsolutePath() + ": run faces/fetch-faceapi.sh");
    }
    return path;
  }

  @BeforeAll
  static void makeModelAndPeople() throws Exception {
    faceModel = dir.resolve("faces");
    FaceApiConverter.convert(tarball(), faceModel);
    data = dir.resolve("people");
    NpmPackage npm = NpmPackage.read(tarball(), "demo/");
    List<UnaryOperator<BufferedImage>> regionChanges = List.of(
        image -> image, ImageTransforms::flip, image -> ImageTransforms.brightness(image, 0.6));
    try (TinyFaceDetector detector = TinyFaceDetector.open(faceModel.resolve(FaceApiConverter.DETECTOR_DIR), 1)) {
      for (int p = 1; p <= 6; p++) {
        RgbImage photo = RgbImage.of(ImageIO.read(new ByteArrayInputStream(npm.bytes("demo/sample" + p + ".jpg"))));
        for (FaceBox face : detector.detect(photo, 416)) {
          Path person = Files.createDirectories(data.resolve(String.format("person%02d", people++)));
          BufferedImage region = crop(photo, face, 2.0).toBufferedImage();
          for (int c = 0; c < regionChanges.size(); c++) {
            ImageIO.write(regionChanges.get(c).apply(region), "png", person.resolve("region" + c + ".png").toFile());
          }
          BufferedImage tight = ImageTransforms.resize(crop(photo, face, 1.0).toBufferedImage(), 150, 150);
          ImageIO.write(tight, "jpg", person.resolve("tight.jpg").toFile());
          ImageIO.write(ImageTransforms.blur(tight, 3), "png", person.resolve("tight-blurred.png").toFile());
        }
      }
    }
    BufferedImage grey = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grey.createGraphics();
    g.setColor(new Color(128, 128, 128));
    g.fillRect(0, 0, 200, 200);
    g.dispose();
    ImageIO.write(grey, "png", data.resolve("person00").resolve("zz-no-face.png").toFile());
  }

  /** The face box grown {@code k} times around its centre, clipped to the photo. */
  private static RgbImage crop(RgbImage photo, FaceBox b, double k) {
    int[] region = b.grownPixels(k, photo.width(), photo.height());
    return photo.crop(region[0], region[1], region[2], region[3]);
  }

  @Test
  void shouldCalibrateAFaceModelOnPeoplesPhotosAndCrops() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TrainerCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Path calibrated = dir.resolve("calibrated");

    int exit = cli.execute("calibrate", "--model", faceModel.toString(), "--data", data.toString(), "--target-far", "0.01",
        "--out", calibrated.toString());

    System.out.print(out);
    System.out.print(err);
    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(people).isBetween(18, 22);
    assertThat(err.toString()).contains("skipped " + data.resolve("person00").resolve("zz-no-face.png") + ": no face found");
    // Every face photo is found (the tight crops by the close-up pass); only the face-less image is skipped.
    int photos = people * 5;
    long genuine = people * 10L;
    long impostor = (long) photos * (photos - 1) / 2 - genuine;
    assertThat(out.toString())
        .contains("data " + data + ": " + people + " people, " + photos + " photos used, 1 skipped")
        .contains("pairs: " + genuine + " genuine, " + impostor + " impostor");
    ModelManifest.Decision decision = ModelBundle.load(calibrated.resolve(FaceApiConverter.RECOGNITION_DIR)).manifest().decision();
    assertThat(decision.targetFalseAcceptRate()).isEqualTo(0.01);
    assertThat(decision.calibration().previousThreshold()).isEqualTo(FaceApiConverter.DLIB_THRESHOLD);
    assertThat(decision.calibration().genuinePairs()).isEqualTo(genuine);
    assertThat(decision.calibration().impostorPairs()).isEqualTo(impostor);
    assertThat(decision.calibration().photosSkipped()).isEqualTo(1);
    assertThat(decision.calibration().falseAcceptRate()).isLessThanOrEqualTo(0.01);
    Matcher printed = Pattern.compile("threshold at target FAR 0.01: ([0-9.]+)").matcher(out.toString());
    assertThat(printed.find()).isTrue();
    assertThat(decision.threshold()).isCloseTo(Double.parseDouble(printed.group(1)), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(decision.threshold()).isBetween(0.2, 1.0);
    // The copy is a whole face model folder; the original keeps dlib's threshold.
    assertThat(CalibrationModel.isFaceModel(calibrated)).isTrue();
    assertThat(ModelBundle.load(faceModel.resolve(FaceApiConverter.RECOGNITION_DIR)).manifest().decision().threshold())
        .isEqualTo(FaceApiConverter.DLIB_THRESHOLD);
  }

  @Test
  void shouldPointFromTheRecognitionBundleToItsFaceModelFolder() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TrainerCli());
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("calibrate", "--model", faceModel.resolve(FaceApiConverter.RECOGNITION_DIR).toString(),
        "--data", data.toString(), "--target-far", "0.01");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("is the recognition bundle of the face model folder").contains("pass that folder as --model");
  }
}
