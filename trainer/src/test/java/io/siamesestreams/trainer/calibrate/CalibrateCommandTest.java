package io.siamesestreams.trainer.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.trainer.cli.TrainerCli;
import io.siamesestreams.trainer.data.FashionMnist;
import io.siamesestreams.trainer.data.FashionMnistSample;
import io.siamesestreams.trainer.data.LabeledImages;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code calibrate} through the trainer's CLI on the shipped Fashion-MNIST bundle and a folder of
 * Fashion-MNIST PNGs (a few classes of the test split as "people"), with the threshold checked
 * against the impostor distances computed separately.
 */
class CalibrateCommandTest {

  static final Path SHIPPED = Path.of("../models/fashion-mnist");
  static final int CLASSES = 4;
  static final int PER_CLASS = 12;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = new CommandLine(new TrainerCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "calibrate";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  /** {@code dir/data/<class>/<i>.png}: the first {@link #PER_CLASS} test images of the first {@link #CLASSES} classes. */
  private Path fashionFolder() throws Exception {
    LabeledImages test = FashionMnistSample.load(FashionMnist.Split.TEST);
    Path data = dir.resolve("data");
    int[] written = new int[CLASSES];
    for (int i = 0; i < test.size(); i++) {
      int label = test.label(i);
      if (label >= CLASSES || written[label] == PER_CLASS) {
        continue;
      }
      Path person = Files.createDirectories(data.resolve(test.classNames().get(label).replace('/', '-')));
      BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, 28, 28, test.imageBytes(i));
      ImageIO.write(image, "png", person.resolve(String.format("%02d.png", written[label]++)).toFile());
    }
    return data;
  }

  /** The sorted impostor distances of the folder's PNGs, embedded separately through core's encoder. */
  private static double[] impostorDistances(Path data, ModelBundle bundle) throws Exception {
    List<float[]> embeddings = new ArrayList<>();
    List<String> people = new ArrayList<>();
    try (Encoder encoder = Encoder.open(bundle, 1); Stream<Path> files = Files.walk(data)) {
      ImagePreprocessor pre = encoder.preprocessor();
      for (Path png : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
        FloatBuffer one = pre.allocate(1);
        pre.putEncoded(Files.readAllBytes(png), one);
        embeddings.add(encoder.embed(one, 1));
        people.add(png.getParent().getFileName().toString());
      }
    }
    DistanceFunction distance = DistanceFunction.of(bundle.manifest().distance().metric());
    List<Double> impostor = new ArrayList<>();
    for (int i = 0; i < embeddings.size(); i++) {
      for (int j = i + 1; j < embeddings.size(); j++) {
        if (!people.get(i).equals(people.get(j))) {
          impostor.add(distance.between(embeddings.get(i), embeddings.get(j)));
        }
      }
    }
    return impostor.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  @Test
  void shouldCalibrateTheFashionMnistBundleOnAFolderAndWriteACopyWithProvenance() throws Exception {
    Path data = fashionFolder();
    Path calibrated = dir.resolve("calibrated");
    ModelBundle shipped = ModelBundle.load(SHIPPED);
    double before = Files.size(SHIPPED.resolve("model.json"));

    int exit = run("--model", SHIPPED.toString(), "--data", data.toString(), "--target-far", "0.05", "--out", calibrated.toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    long photos = CLASSES * PER_CLASS;
    long genuine = CLASSES * (PER_CLASS * (PER_CLASS - 1L) / 2);
    long impostor = photos * (photos - 1) / 2 - genuine;
    // k = floor(0.05 · impostor pairs) may be accepted: the threshold sits just below the (k+1)-th smallest.
    double[] impostorDistances = impostorDistances(data, shipped);
    assertThat(impostorDistances).hasSize((int) impostor);
    double expected = Math.nextDown(impostorDistances[(int) Math.floor(0.05 * impostor)]);
    ModelManifest written = ModelBundle.load(calibrated).manifest();
    assertThat(written.decision().threshold()).isEqualTo(expected);
    assertThat(written.decision().targetFalseAcceptRate()).isEqualTo(0.05);
    ModelManifest.Calibration c = written.decision().calibration();
    assertThat(c.data()).isEqualTo(data.toString());
    assertThat(c.people()).isEqualTo(CLASSES);
    assertThat(c.photos()).isEqualTo(photos);
    assertThat(c.photosSkipped()).isZero();
    assertThat(c.genuinePairs()).isEqualTo(genuine);
    assertThat(c.impostorPairs()).isEqualTo(impostor);
    assertThat(c.falseAcceptRate()).isLessThanOrEqualTo(0.05);
    assertThat(c.previousThreshold()).isEqualTo(shipped.manifest().decision().threshold());
    assertThat(c.calibratedAt()).isNotNull();
    // Everything else of the bundle is as shipped; the shipped bundle itself is untouched.
    assertThat(written.modelId()).isEqualTo(shipped.manifest().modelId());
    assertThat(written.provenance()).isEqualTo(shipped.manifest().provenance());
    assertThat(Files.mismatch(calibrated.resolve("encoder.onnx"), SHIPPED.resolve("encoder.onnx"))).isEqualTo(-1);
    assertThat(Files.size(SHIPPED.resolve("model.json"))).isEqualTo((long) before);
    assertThat(out.toString())
        .contains("data " + data + ": 4 people, 48 photos used, 0 skipped")
        .contains("pairs: " + genuine + " genuine, " + impostor + " impostor")
        .contains(String.format(java.util.Locale.ROOT, "threshold at target FAR 0.05: %.6f (was %.6f)", expected,
            shipped.manifest().decision().threshold()))
        .contains("at the old threshold").contains("at the new threshold")
        .contains("wrote " + calibrated.resolve("model.json"));
    assertThat(err.toString()).doesNotContain("warning");
  }

  @Test
  void shouldWarnWhenTooFewImpostorPairsSupportTheTargetAndWriteInPlace() throws Exception {
    Path data = fashionFolder();
    Path copy = dir.resolve("copy");
    new CalibrationModel(SHIPPED, false).copyTo(copy);

    int exit = run("--model", copy.toString(), "--data", data.toString(), "--target-far", "0.001", "--in-place");

    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(err.toString()).contains("warning: 864 impostor pairs are too few to support a FAR of 0.001 (fewer than 10/FAR = 10000)");
    ModelManifest.Decision decision = ModelBundle.load(copy).manifest().decision();
    assertThat(decision.targetFalseAcceptRate()).isEqualTo(0.001);
    assertThat(decision.calibration().falseAcceptRate()).isZero();
  }

  @Test
  void shouldWriteNothingWithoutOutOrInPlace() throws Exception {
    Path data = fashionFolder();
    Path copy = dir.resolve("copy");
    new CalibrationModel(SHIPPED, false).copyTo(copy);
    byte[] manifest = Files.readAllBytes(copy.resolve("model.json"));

    int exit = run("--model", copy.toString(), "--data", data.toString(), "--target-far", "0.05");

    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(out.toString()).contains("nothing written");
    assertThat(Files.readAllBytes(copy.resolve("model.json"))).isEqualTo(manifest);
  }

  @Test
  void shouldRefuseBadCommandLinesAndAnOutFolderThatHoldsFiles() throws Exception {
    Path data = fashionFolder();
    assertThat(run("--model", SHIPPED.toString(), "--data", data.toString(), "--target-far", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("--target-far must be in (0, 1), was 1.5");
    assertThat(run("--model", SHIPPED.toString(), "--data", data.toString(), "--target-far", "0.1", "--in-place",
        "--out", dir.resolve("x").toString())).isEqualTo(2);
    assertThat(run("--model", SHIPPED.toString(), "--data", data.toString(), "--target-far", "0.1", "--out",
        data.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("already holds files");
    assertThat(run("--model", dir.resolve("nothing").toString(), "--data", data.toString(), "--target-far", "0.1")).isEqualTo(1);
    assertThat(err.toString()).contains("is neither a model bundle");
    assertThat(Arrays.asList(dir.resolve("x").toFile().list() == null ? new String[0] : dir.resolve("x").toFile().list())).isEmpty();
  }
}
