package io.siamesestreams.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.TrainingConfig;
import io.siamesestreams.trainer.loss.Mining;
import io.siamesestreams.trainer.model.EncoderSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

  @Test
  void shouldTurnOptionsIntoATrainingConfig() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs(
            "--out", "/tmp/bundle", "--steps", "1500", "--batch-p", "6", "--batch-k", "12", "--loss", "both",
            "--mining", "batch-hard", "--warmup-steps", "300", "--margin", "0.3", "--binary-weight", "0.5",
            "--embedding-dim", "32", "--widths", "16,32,64", "--hidden", "96", "--batch-norm", "--lr", "0.002",
            "--lr-decay", "none", "--augment", "--seed", "9", "--holdout", "Sandal, Bag", "--target-far", "0.001",
            "--threads", "2", "--model-id", "m", "--model-version", "7");

    TrainingConfig config = command.config();

    assertThat(config.outputDirectory()).isEqualTo(Path.of("/tmp/bundle"));
    assertThat(config.steps()).isEqualTo(1500);
    assertThat(config.batchP()).isEqualTo(6);
    assertThat(config.batchK()).isEqualTo(12);
    assertThat(config.loss()).isEqualTo(TrainingConfig.LossKind.BOTH);
    assertThat(config.mining()).isEqualTo(Mining.BATCH_HARD);
    assertThat(config.miningAt(299)).isEqualTo(Mining.SEMI_HARD);
    assertThat(config.miningAt(300)).isEqualTo(Mining.BATCH_HARD);
    assertThat(config.margin()).isEqualTo(0.3f);
    assertThat(config.binaryWeight()).isEqualTo(0.5f);
    assertThat(config.convWidths()).containsExactly(16, 32, 64);
    assertThat(config.hiddenUnits()).isEqualTo(96);
    assertThat(config.batchNorm()).isTrue();
    assertThat(config.cosineDecay()).isFalse();
    assertThat(config.augment()).isTrue();
    assertThat(config.flip()).isTrue();
    assertThat(config.seed()).isEqualTo(9);
    assertThat(config.heldOutClasses()).containsExactly("Sandal", "Bag");
    assertThat(config.targetFar()).isEqualTo(0.001);
    assertThat(config.modelVersion()).isEqualTo("7");
  }

  @Test
  void shouldTurnTheRecipeOptionsIntoATrainingConfig() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs(
            "--convs-per-stage", "2", "--weight-decay", "0.05", "--lr-warmup-steps", "100", "--ema-decay", "0.995",
            "--augment", "--shift", "3", "--erasing", "0.25", "--cosface-weight", "0.5", "--cosface-scale", "12",
            "--cosface-margin", "0.25", "--triplet-distance", "euclidean", "--head", "distance",
            "--calibration-classes", "Shirt", "--holdout", "Sandal,Bag");

    TrainingConfig config = command.config();

    assertThat(config.convsPerStage()).isEqualTo(2);
    assertThat(config.encoderSpec(1, 28, 28).convsPerStage()).isEqualTo(2);
    assertThat(config.weightDecay()).isEqualTo(0.05f);
    assertThat(config.lrWarmupSteps()).isEqualTo(100);
    assertThat(config.emaDecay()).isEqualTo(0.995f);
    assertThat(config.augmentShift()).isEqualTo(3);
    assertThat(config.erasing()).isEqualTo(0.25f);
    assertThat(config.cosFaceWeight()).isEqualTo(0.5f);
    assertThat(config.cosFaceScale()).isEqualTo(12f);
    assertThat(config.cosFaceMargin()).isEqualTo(0.25f);
    assertThat(config.tripletDistance()).isEqualTo(TrainingConfig.TripletDistance.EUCLIDEAN);
    assertThat(config.head()).isEqualTo(TrainingConfig.HeadKind.DISTANCE);
    assertThat(config.calibrationClasses()).containsExactly("Shirt");
  }

  @Test
  void shouldAugmentWithoutMirrorImagesUnderNoFlip() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs("--augment", "--no-flip", "--shift", "2");

    assertThat(command.config().augment()).isTrue();
    assertThat(command.config().flip()).isFalse();
  }

  @Test
  void shouldBuildAResidualEncoderUnderArchitectureResnet() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs("--architecture", "resnet", "--widths", "16,32,64", "--convs-per-stage", "3", "--batch-norm");

    var spec = command.config().encoderSpec(1, 28, 28);

    assertThat(spec.architecture()).isEqualTo(EncoderSpec.Architecture.RESNET);
    assertThat(spec.flattenedSize()).as("channels left by the global average pool").isEqualTo(64);
    assertThat(spec.finalHeight()).as("28 → 14 → 7").isEqualTo(7);
    assertThat(spec.describe()).contains("3×residual(conv3x3(16)", "global average pool(64)");
  }

  @Test
  void shouldRefuseAResidualEncoderWithoutBatchNorm() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs("--architecture", "resnet");

    org.assertj.core.api.Assertions.assertThatThrownBy(command::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resnet architecture needs batch norm (--batch-norm)");
  }

  @Test
  void shouldRefuseAClassThatIsBothHeldOutAndACalibrationClass() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs("--holdout", "Sandal,Bag", "--calibration-classes", "Bag");

    org.assertj.core.api.Assertions.assertThatThrownBy(command::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bag is both held out and a calibration class");
  }

  @Test
  void shouldUseTheConfigDefaultsWithoutOptions() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs();

    TrainingConfig defaults = TrainingConfig.builder().outputDirectory(Path.of("models", "fashion-mnist")).build();
    assertThat(command.config()).isEqualTo(defaults);
  }

  @Test
  void shouldSwitchKeepBestOffOnlyWithItsNegativeForm() {
    TrainCommand off = new TrainCommand();
    new CommandLine(off).parseArgs("--no-keep-best");
    TrainCommand on = new TrainCommand();
    new CommandLine(on).parseArgs("--keep-best");

    assertThat(off.config().keepBest()).isFalse();
    assertThat(on.config().keepBest()).isTrue();
  }

  @Test
  void shouldReadAFolderDatasetWithRgbInput() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs("--dataset", "folder", "--data", "/data/faces", "--image-size", "64", "--color", "rgb");

    TrainingConfig config = command.config();

    assertThat(config.dataset()).isEqualTo(TrainingConfig.DatasetKind.FOLDER);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("/data/faces"));
    assertThat(config.imageSize()).isEqualTo(64);
    assertThat(config.color()).isEqualTo(ModelManifest.ColorMode.RGB);
  }

  @Test
  void shouldRejectAnUnknownMiningWithAUsageError() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new TrainCommand()).setErr(new PrintWriter(err)).execute("--mining", "hardest");

    assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("semi-hard, batch-hard or batch-all");
  }
}
