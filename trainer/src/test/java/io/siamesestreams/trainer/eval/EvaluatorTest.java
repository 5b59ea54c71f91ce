package io.siamesestreams.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.json.Json;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.matching.PairScorer;
import io.siamesestreams.trainer.data.FashionMnist;
import io.siamesestreams.trainer.data.FashionMnistSample;
import io.siamesestreams.trainer.data.LabeledImages;
import io.siamesestreams.trainer.data.PairSampler;
import io.siamesestreams.trainer.data.PairSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluator end to end on a tiny real ONNX bundle and real Fashion-MNIST test images. */
class EvaluatorTest {

  private static final int PAIRS = 2_000;
  private static final long SEED = 5;

  /** Sample test images 0..599 for evaluation, 600..999 as a stand-in validation set. */
  private static LabeledImages test;
  private static LabeledImages validation;

  @TempDir Path dir;

  @BeforeAll
  static void loadImages() {
    LabeledImages all = FashionMnistSample.load(FashionMnist.Split.TEST);
    test = all.subset(IntStream.range(0, 600).toArray());
    validation = all.subset(IntStream.range(600, 1000).toArray());
  }

  @Test
  void shouldEmbedEveryImageOnceInBatchOrderLikeAPlainJavaProjection() {
    ModelBundle bundle = TinyBundles.randomProjection(dir, false, 0.5);
    LabeledImages images = test.subset(IntStream.range(0, 20).toArray());

    float[] embeddings;
    try (Encoder encoder = Encoder.open(bundle)) {
      embeddings = Evaluator.embedAll(encoder, images, 7); // 7 + 7 + 6: the last batch is partial
    }

    float[] w = TinyBundles.projection();
    int d = TinyBundles.DIMENSION;
    assertThat(embeddings).hasSize(20 * d);
    for (int i = 0; i < 20; i++) {
      byte[] pixels = images.imageBytes(i);
      double[] z = new double[d];
      for (int p = 0; p < TinyBundles.PIXELS; p++) {
        double x = ((pixels[p] & 0xFF) / 255.0 - TinyBundles.MEAN) / TinyBundles.STD;
        for (int k = 0; k < d; k++) {
          z[k] += x * w[p * d + k];
        }
      }
      double norm = Math.sqrt(IntStream.range(0, d).mapToDouble(k -> z[k] * z[k]).sum());
      for (int k = 0; k < d; k++) {
        assertThat(embeddings[i * d + k]).as("image %d component %d", i, k).isCloseTo((float) (z[k] / norm), within(1e-4f));
      }
    }
  }

  @Test
  void shouldCalibrateTheLargestThresholdWithFarAtMostTheTargetOnValidationDifferentPairs() {
    ModelBundle bundle = TinyBundles.randomProjection(dir, false, 0.5);

    double threshold = Evaluator.calibrateThreshold(bundle, validation, PAIRS, SEED, 0.1);

    // Recompute the different-pair distances with core's distance function.
    float[] embeddings;
    try (Encoder encoder = Encoder.open(bundle)) {
      embeddings = Evaluator.embedAll(encoder, validation, 256);
    }
    PairSet pairs = PairSampler.balanced(validation, PAIRS, SEED);
    DistanceFunction distance = DistanceFunction.of(ModelManifest.Metric.SQUARED_L2);
    int d = TinyBundles.DIMENSION;
    int negatives = 0;
    int acceptedAtThreshold = 0;
    int acceptedJustAbove = 0;
    for (int k = 0; k < pairs.size(); k++) {
      if (!pairs.same()[k]) {
        double dist = distance.between(embeddings, pairs.left()[k] * d, embeddings, pairs.right()[k] * d, d);
        negatives++;
        acceptedAtThreshold += dist <= threshold ? 1 : 0;
        acceptedJustAbove += dist <= Math.nextUp(threshold) ? 1 : 0;
      }
    }
    assertThat(negatives).isEqualTo(PAIRS / 2);
    assertThat((double) acceptedAtThreshold / negatives).isLessThanOrEqualTo(0.1);
    assertThat((double) acceptedJustAbove / negatives).isGreaterThan(0.1);
  }

  @Test
  void shouldFitPlattScalingThatImprovesTheHeadsCalibration() {
    ModelBundle bundle = TinyBundles.randomProjection(dir, true, 0.5);

    PlattScaling platt = Evaluator.calibrateHead(bundle, validation, PAIRS, SEED);

    double[] raw;
    boolean[] same;
    try (Encoder encoder = Encoder.open(bundle);
        PairScorer scorer = PairScorer.open(bundle)) {
      float[] embeddings = Evaluator.embedAll(encoder, validation, 256);
      PairSet pairs = PairSampler.balanced(validation, PAIRS, SEED);
      int d = TinyBundles.DIMENSION;
      float[] left = new float[PAIRS * d];
      float[] right = new float[PAIRS * d];
      for (int k = 0; k < PAIRS; k++) {
        System.arraycopy(embeddings, pairs.left()[k] * d, left, k * d, d);
        System.arraycopy(embeddings, pairs.right()[k] * d, right, k * d, d);
      }
      raw = scorer.probabilities(left, right, PAIRS);
      same = pairs.same();
    }
    double before = ExpectedCalibrationError.of(raw, same);
    double after = ExpectedCalibrationError.of(platt.apply(raw), same);
    assertThat(platt.scale()).isPositive();
    assertThat(after).isLessThan(before).isLessThan(0.05);
  }

  @Test
  void shouldEvaluateThroughOnnxAndWriteEvalJsonAndARocPng() throws Exception {
    // Threshold calibrated at FAR 1 % on validation pairs, then written into the bundle as the trainer does.
    ModelBundle provisional = TinyBundles.randomProjection(dir, true, 0.5);
    Evaluator.Calibration calibration = Evaluator.calibrate(provisional, validation, PAIRS, SEED, 0.01);
    ModelBundle bundle = TinyBundles.randomProjection(dir, true, calibration.threshold());
    Set<Integer> heldOut = test.labelsOf(TinyBundles.HELD_OUT);

    EvalReport report = Evaluator.evaluate(bundle, test, heldOut, PAIRS, SEED);

    assertThat(report.figures())
        .containsKeys(
            "auc", "eer", "tar_at_far_1e-1", "tar_at_far_1e-2", "tar_at_far_1e-3", "threshold",
            "accuracy_at_threshold", "heldout_auc", "head_auc", "head_ece", "far_at_threshold",
            "frr_at_threshold", "heldout_eer", "seen_auc");
    assertThat(report.figures().values()).allSatisfy(v -> assertThat(v).isFinite());
    assertThat(report.figure("auc")).isBetween(0.75, 1.0);
    assertThat(report.figure("eer")).isBetween(0.0, 0.3);
    assertThat(report.figure("tar_at_far_1e-3"))
        .isLessThanOrEqualTo(report.figure("tar_at_far_1e-2"));
    assertThat(report.figure("tar_at_far_1e-2"))
        .isLessThanOrEqualTo(report.figure("tar_at_far_1e-1"));
    assertThat(report.figure("threshold")).isEqualTo(calibration.threshold());
    assertThat(report.figure("far_at_threshold")).isLessThan(0.04);
    // Balanced pairs: accuracy = 1 − (FAR + FRR) / 2.
    assertThat(report.figure("accuracy_at_threshold"))
        .isCloseTo(1 - (report.figure("far_at_threshold") + report.figure("frr_at_threshold")) / 2, within(1e-12));
    assertThat(report.figure("heldout_auc")).isBetween(0.5, 1.0);
    assertThat(report.figure("seen_auc")).isBetween(0.5, 1.0);
    assertThat(report.figure("head_auc")).isBetween(0.7, 1.0);
    assertThat(report.figure("head_ece")).isBetween(0.0, 1.0);
    assertThat(report.pairCounts()).containsEntry("pairs", PAIRS).containsEntry("heldout_pairs", PAIRS)
        .containsEntry("seen_pairs", PAIRS);
    assertThat(report.heldOutClasses()).containsExactly("Sneaker", "Bag");
    assertThat(report.summary()).contains("heldout_auc").contains("Sneaker");

    Path json = dir.resolve("out/eval.json");
    Path png = dir.resolve("out/roc.png");
    report.writeJson(json);
    report.writeRocPng(png);

    JsonNode written = Json.mapper().readTree(json.toFile());
    assertThat(written.path("model_id").asText()).isEqualTo("test-random-projection");
    assertThat(written.path("model_version").asText()).isEqualTo("0.0.1");
    assertThat(written.path("auc").asDouble()).isEqualTo(report.figure("auc"));
    assertThat(written.path("heldout_auc").asDouble()).isEqualTo(report.figure("heldout_auc"));
    assertThat(written.path("tar_at_far_1e-2").isNumber()).isTrue();
    assertThat(written.path("head_ece").isNumber()).isTrue();
    assertThat(written.path("seed").asLong()).isEqualTo(SEED);
    assertThat(written.path("pairs").asInt()).isEqualTo(PAIRS);
    assertThat(written.path("ece_bins").asInt()).isEqualTo(15);
    assertThat(Files.size(png)).isPositive();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(650);
  }

  @Test
  void shouldReportHeadAndHeldOutFiguresAsNotMeasurableWhenAbsent() throws Exception {
    ModelBundle bundle = TinyBundles.randomProjection(dir, false, 0.5);

    EvalReport report = Evaluator.evaluate(bundle, test, Set.of(), PAIRS, SEED);

    assertThat(report.figure("head_auc")).isNaN();
    assertThat(report.figure("head_ece")).isNaN();
    assertThat(report.figure("heldout_auc")).isNaN();
    assertThat(report.figure("auc")).isFinite();
    assertThat(report.figure("seen_auc")).isEqualTo(report.figure("auc"));
    assertThat(report.pairCounts()).containsEntry("heldout_pairs", 0);
    Path json = dir.resolve("eval.json");
    report.writeJson(json);
    JsonNode written = Json.mapper().readTree(json.toFile());
    assertThat(written.has("head_auc")).isTrue();
    assertThat(written.get("head_auc").isNull()).isTrue();
    assertThat(written.get("heldout_auc").isNull()).isTrue();
    assertThatThrownBy(() -> Evaluator.calibrateHead(bundle, validation, PAIRS, SEED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no head");
  }

  @Test
  void shouldSkipHeldOutFiguresWhenOnlyOneHeldOutClassIsPresent() {
    ModelBundle bundle = TinyBundles.randomProjection(dir, false, 0.5);

    EvalReport report = Evaluator.evaluate(bundle, test, test.labelsOf(List.of("Bag")), PAIRS, SEED);

    assertThat(report.figure("heldout_auc")).isNaN();
    assertThat(report.figure("seen_auc")).isFinite();
    assertThat(report.curves()).extracting(EvalReport.Curve::name).containsExactly("all pairs", "seen classes");
  }
}
