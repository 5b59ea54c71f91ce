package io.siamesestreams.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.data.FashionMnistSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short real training runs on the committed Fashion-MNIST sample through {@link Trainer#train}, bundle and evaluation included. */
class TrainerTest {

  private static TrainingConfig.Builder shortRun(Path out) {
    return TrainingConfig.builder()
        .dataDirectory(FashionMnistSample.directory())
        .outputDirectory(out)
        .heldOutClasses(List.of("Sandal", "Bag"))
        .batchP(8)
        .batchK(8)
        .convWidths(List.of(16, 32))
        .hiddenUnits(64)
        .embeddingDim(32)
        .calibrationPairs(2_000)
        .evaluationPairs(2_000)
        .seed(1234);
  }

  @Test
  void shouldLowerTheLossAndBeatChanceByFarAfterAShortRun(@TempDir Path out) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingConfig config = shortRun(out).steps(60).batchNorm(true).augment(true).build();

    TrainingResult result = Trainer.train(config, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(result.losses()).hasSize(60);
    assertThat(result.meanLoss(45, 60)).isLessThan(result.meanLoss(0, 15));
    assertThat(result.validationAuc()).isGreaterThan(0.75);
    assertThat(result.evaluation().get("auc")).isGreaterThan(0.75);
    assertThat(result.imagesPerSecond()).isPositive();
    assertThat(result.threshold()).isBetween(0.0, 4.0);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("step 60/60", "img/s", "ETA");

    for (String file : List.of("model.json", "encoder.onnx", "head.onnx", "eval.json", "roc.png")) {
      assertThat(out.resolve(file)).isRegularFile();
    }
    assertThat(Files.size(out.resolve("encoder.onnx"))).isLessThan(2_000_000);
    ModelManifest manifest = ModelBundle.load(out).manifest();
    assertThat(manifest.provenance().heldOutClasses()).containsExactly("Sandal", "Bag");
    assertThat(manifest.provenance().steps()).isEqualTo(60);
    assertThat(manifest.decision().threshold()).isEqualTo(result.threshold());
    assertThat(manifest.decision().targetFalseAcceptRate()).isEqualTo(1e-2);
    assertThat(manifest.distance().metric()).isEqualTo(ModelManifest.Metric.SQUARED_L2);
    assertThat(manifest.input().mean()[0]).isBetween(0.25f, 0.35f);
    assertThat(manifest.provenance().libraries()).containsKeys("DJL", "PyTorch", "ONNX Runtime");
    assertThat(manifest.evaluation()).containsKeys("auc", "eer", "tar_at_far_1e-2", "heldout_auc", "head_ece");
    assertThat(manifest.evaluation().get("auc")).isEqualTo(result.evaluation().get("auc"));
  }

  @Test
  void shouldTrainTheDeeperRecipeAndShipADistanceHeadThatAgreesWithTheDecision(@TempDir Path out) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingConfig config = shortRun(out)
        .steps(40).batchP(7).batchNorm(true).convsPerStage(2).loss(TrainingConfig.LossKind.BOTH)
        .tripletDistance(TrainingConfig.TripletDistance.EUCLIDEAN).cosFaceWeight(1f).weightDecay(0.05f)
        .lrWarmupSteps(5).emaDecay(0.9f).augment(true).erasing(0.3f).validateEvery(20)
        .head(TrainingConfig.HeadKind.DISTANCE).calibrationClasses(List.of("Shirt"))
        .build();

    TrainingResult result = Trainer.train(config, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(result.meanLoss(30, 40)).isLessThan(result.meanLoss(0, 10));
    assertThat(result.evaluation().get("auc")).isGreaterThan(0.7);
    ModelManifest manifest = ModelBundle.load(out).manifest();
    assertThat(manifest.head().formula()).startsWith("distance head: p = σ(");
    assertThat(manifest.provenance().details())
        .containsEntry("head", "distance")
        .containsEntry("optimizer", "AdamW")
        .containsEntry("calibrationClasses", List.of("Shirt"))
        .containsKey("weightAverage")
        .containsKey("cosFace");
    assertThat(manifest.decision().calibratedOn()).contains("pseudo-unseen: Shirt");
    assertThat(manifest.provenance().architecture()).contains("conv3x3(16,pad1)-batchnorm-relu-conv3x3(16,pad1)");
    // A head that is a falling function of the decision's distance ranks pairs exactly as the distance does.
    assertThat(result.evaluation().get("head_auc")).isCloseTo(result.evaluation().get("auc"), within(1e-3));
    assertThat(result.evaluation()).containsKey("match_with_p_below_0.5");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("shipping the distance head");
  }

  @Test
  void shouldRepeatTheSameLossesWithTheSameSeed(@TempDir Path first, @TempDir Path second) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    TrainingResult a = Trainer.train(shortRun(first).steps(6).batchK(4).calibrationPairs(200).evaluationPairs(200).build(), quiet);
    TrainingResult b = Trainer.train(shortRun(second).steps(6).batchK(4).calibrationPairs(200).evaluationPairs(200).build(), quiet);

    assertThat(a.losses()).containsExactly(b.losses());
    assertThat(a.threshold()).isEqualTo(b.threshold());
  }
}
