package io.siamesestreams.trainer.cli;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.Trainer;
import io.siamesestreams.trainer.TrainingConfig;
import io.siamesestreams.trainer.TrainingConfig.DatasetKind;
import io.siamesestreams.trainer.TrainingConfig.LossKind;
import io.siamesestreams.trainer.TrainingResult;
import io.siamesestreams.trainer.data.DatasetNotFoundException;
import io.siamesestreams.trainer.loss.Mining;
import io.siamesestreams.trainer.model.EncoderSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./siamese train}: trains an encoder and head on Fashion-MNIST or an image folder and writes
 * a model bundle (model.json, encoder.onnx, head.onnx, eval.json, roc.png) to {@code --out}.
 * Defaults are {@link TrainingConfig#builder()}'s.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    sortOptions = false,
    description = "Train an encoder and write a model bundle (runs offline: DJL never downloads).")
public final class TrainCommand implements Callable<Integer> {
  private static final TrainingConfig DEFAULTS =
      TrainingConfig.builder().outputDirectory(Path.of("models", "fashion-mnist")).build();

  @Option(names = "--dataset", paramLabel = "fashion-mnist|folder", converter = DatasetConverter.class,
      description = "Dataset: Fashion-MNIST idx files or an image folder root/<identity>/<image>.")
  DatasetKind dataset = DatasetKind.FASHION_MNIST;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Dataset directory (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "Bundle directory to write.")
  Path out = DEFAULTS.outputDirectory();

  @Option(names = "--steps", description = "Optimiser steps.")
  int steps = DEFAULTS.steps();

  @Option(names = "--batch-p", description = "Classes per P×K batch.")
  int batchP = DEFAULTS.batchP();

  @Option(names = "--batch-k", description = "Images per class per P×K batch.")
  int batchK = DEFAULTS.batchK();

  @Option(names = "--loss", paramLabel = "triplet|binary|both", converter = LossConverter.class,
      description = "What trains the encoder (the head is always trained).")
  LossKind loss = LossKind.TRIPLET;

  @Option(names = "--mining", paramLabel = "semi-hard|batch-hard|batch-all", converter = MiningConverter.class,
      description = "Triplet mining after the warm-up.")
  Mining mining = Mining.SEMI_HARD;

  @Option(names = "--warmup-steps", description = "Semi-hard steps before --mining takes over.")
  int warmupSteps = DEFAULTS.warmupSteps();

  @Option(names = "--margin", description = "Triplet margin α on squared L2 distances.")
  float margin = DEFAULTS.margin();

  @Option(names = "--binary-weight", description = "Weight of the binary loss under --loss both.")
  float binaryWeight = DEFAULTS.binaryWeight();

  @Option(names = "--embedding-dim", description = "Embedding size D.")
  int embeddingDim = DEFAULTS.embeddingDim();

  @Option(names = "--architecture", paramLabel = "vgg|resnet", converter = ArchitectureConverter.class,
      description = "vgg: conv stacks each ending in a 2x2 max pool; resnet: a stem conv, then basic residual units"
          + " (stride 2 between stages) and a global average pool (needs --batch-norm).")
  EncoderSpec.Architecture architecture = DEFAULTS.architecture();

  @Option(names = "--widths", split = ",", paramLabel = "W1,W2[,...]",
      description = "Filters of each conv stage (vgg: conv3x3-[BN]-relu-maxpool2; resnet: residual units).")
  List<Integer> widths = new ArrayList<>(DEFAULTS.convWidths());

  @Option(names = "--hidden", description = "Units of the hidden fully connected layer.")
  int hidden = DEFAULTS.hiddenUnits();

  @Option(names = "--convs-per-stage",
      description = "vgg: convolutions before each pooling (2 with --widths 32,64: [32,32]-pool-[64,64]-pool);"
          + " resnet: residual units per stage (3 with --widths 16,32,64: ResNet-20).")
  int convsPerStage = DEFAULTS.convsPerStage();

  @Option(names = "--batch-norm", negatable = true, description = "Batch normalisation after each convolution.")
  boolean batchNorm = DEFAULTS.batchNorm();

  @Option(names = "--lr", description = "Adam learning rate.")
  float lr = DEFAULTS.learningRate();

  @Option(names = "--weight-decay", description = "Decoupled weight decay (AdamW); 0 = plain Adam.")
  float weightDecay = DEFAULTS.weightDecay();

  @Option(names = "--lr-warmup-steps", description = "Steps of linear learning-rate warm-up from 0.")
  int lrWarmupSteps = DEFAULTS.lrWarmupSteps();

  @Option(names = "--ema-decay",
      description = "Decay of the moving average of the weights that is validated and exported (0 = off).")
  float emaDecay = DEFAULTS.emaDecay();

  @Option(names = "--clip-grad", description = "Clip gradient elements to [-c, c] before each update (0 = off).")
  float clipGrad = DEFAULTS.clipGradient();

  // A word rather than a boolean-typed option: picocli treats boolean options as flags.
  @Option(names = "--lr-decay", paramLabel = "cosine|none", description = "Learning-rate schedule.")
  String lrDecay = DEFAULTS.cosineDecay() ? "cosine" : "none";

  @Option(names = "--augment", negatable = true,
      description = "Random horizontal flips (unless --no-flip), shifts of up to --shift px and random erasing with --erasing.")
  boolean augment = DEFAULTS.augment();

  // Named by its negative form because it defaults to true, as --no-keep-best.
  @Option(names = "--no-flip", negatable = true,
      description = "With --augment: random horizontal flips (default); --no-flip where every object faces one way.")
  boolean flip = DEFAULTS.flip();

  @Option(names = "--shift", description = "With --augment: largest random shift in pixels (pad-and-crop).")
  int shift = DEFAULTS.augmentShift();

  @Option(names = "--erasing", description = "With --augment: probability of random erasing per image.")
  float erasing = DEFAULTS.erasing();

  @Option(names = "--cosface-weight",
      description = "Weight of a CosFace (normalised softmax, cosine margin) term over the training classes (0 = off).")
  float cosFaceWeight = DEFAULTS.cosFaceWeight();

  @Option(names = "--cosface-scale", description = "CosFace scale s.")
  float cosFaceScale = DEFAULTS.cosFaceScale();

  @Option(names = "--cosface-margin", description = "CosFace cosine margin m.")
  float cosFaceMargin = DEFAULTS.cosFaceMargin();

  @Option(names = "--triplet-distance", paramLabel = "squared|euclidean", converter = TripletDistanceConverter.class,
      description = "Distance inside the triplet loss (the margin is in its units).")
  TrainingConfig.TripletDistance tripletDistance = DEFAULTS.tripletDistance();

  @Option(names = "--head", paramLabel = "learned|distance", converter = HeadConverter.class,
      description = "head.onnx to ship: the learned head, or a logistic function of the decision's distance.")
  TrainingConfig.HeadKind head = DEFAULTS.head();

  @Option(names = "--calibration-classes", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Classes kept out of training but in validation (pseudo-unseen for threshold and head calibration).")
  List<String> calibrationClasses = new ArrayList<>();

  @Option(names = "--seed", description = "Seed of the engine, sampling, splits and augmentation.")
  long seed = DEFAULTS.seed();

  @Option(names = "--holdout", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Classes (identities) kept out of training entirely, e.g. \"Sandal,Bag\".")
  List<String> holdout = new ArrayList<>();

  @Option(names = "--validation-fraction", description = "Share of each training class kept for validation.")
  double validationFraction = DEFAULTS.validationFraction();

  @Option(names = "--test-fraction", description = "Image folders: share of each identity kept for test.")
  double testFraction = DEFAULTS.testFraction();

  @Option(names = "--target-far", description = "False-accept rate the threshold is calibrated at.")
  double targetFar = DEFAULTS.targetFar();

  @Option(names = "--calibration-pairs", description = "Validation pairs for threshold and head calibration.")
  int calibrationPairs = DEFAULTS.calibrationPairs();

  @Option(names = "--eval-pairs", description = "Test pairs for the evaluation.")
  int evalPairs = DEFAULTS.evaluationPairs();

  @Option(names = "--validate-every", description = "Steps between validation AUC reports (0 = only at the end).")
  int validateEvery = DEFAULTS.validateEvery();

  // Named by its negative form because it defaults to true: picocli then maps --no-keep-best to false.
  @Option(names = "--no-keep-best", negatable = true,
      description = "With --validate-every, --keep-best (default) ships the weights of the best validation check;"
          + " --no-keep-best ships the last ones.")
  boolean keepBest = DEFAULTS.keepBest();

  @Option(names = "--threads", description = "PyTorch intra-op threads (0 = PyTorch's default).")
  int threads = DEFAULTS.threads();

  @Option(names = "--image-size", description = "Image folders: side of the square encoder input.")
  int imageSize = DEFAULTS.imageSize();

  @Option(names = "--color", paramLabel = "gray|rgb", converter = ColorConverter.class,
      description = "Image folders: encoder input colour.")
  ModelManifest.ColorMode color = ModelManifest.ColorMode.GRAY;

  @Option(names = "--model-id", description = "Manifest model id.")
  String modelId = DEFAULTS.modelId();

  @Option(names = "--model-version", description = "Manifest model version.")
  String modelVersion = DEFAULTS.modelVersion();

  /** The configuration these options describe. */
  TrainingConfig config() {
    return TrainingConfig.builder()
        .dataset(dataset)
        .dataDirectory(data)
        .outputDirectory(out)
        .steps(steps)
        .batchP(batchP)
        .batchK(batchK)
        .loss(loss)
        .mining(mining)
        .warmupSteps(warmupSteps)
        .margin(margin)
        .binaryWeight(binaryWeight)
        .embeddingDim(embeddingDim)
        .convWidths(widths)
        .hiddenUnits(hidden)
        .batchNorm(batchNorm)
        .learningRate(lr)
        .clipGradient(clipGrad)
        .cosineDecay(new DecayConverter().convert(lrDecay))
        .augment(augment)
        .seed(seed)
        .heldOutClasses(holdout.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
        .validationFraction(validationFraction)
        .testFraction(testFraction)
        .targetFar(targetFar)
        .calibrationPairs(calibrationPairs)
        .evaluationPairs(evalPairs)
        .validateEvery(validateEvery)
        .keepBest(keepBest)
        .threads(threads)
        .imageSize(imageSize)
        .color(color)
        .modelId(modelId)
        .modelVersion(modelVersion)
        .convsPerStage(convsPerStage)
        .weightDecay(weightDecay)
        .lrWarmupSteps(lrWarmupSteps)
        .emaDecay(emaDecay)
        .augmentShift(shift)
        .erasing(erasing)
        .flip(flip)
        .cosFaceWeight(cosFaceWeight)
        .cosFaceScale(cosFaceScale)
        .cosFaceMargin(cosFaceMargin)
        .tripletDistance(tripletDistance)
        .head(head)
        .architecture(architecture)
        .calibrationClasses(calibrationClasses.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
        .build();
  }

  @Override
  public Integer call() {
    TrainingConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("siamese train: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    TrainingResult result;
    try {
      result = Trainer.train(config);
    } catch (IllegalArgumentException | DatasetNotFoundException | BundleValidationException e) {
      System.err.println("siamese train: " + e.getMessage());
      return 1;
    }
    System.out.printf(
        Locale.ROOT,
        "bundle written to %s (%.0f s training, %.0f img/s, %.0f s total)%n",
        result.bundleDirectory(),
        result.trainingSeconds(),
        result.imagesPerSecond(),
        result.totalSeconds());
    for (Map.Entry<String, Double> e : result.evaluation().entrySet()) {
      System.out.printf(Locale.ROOT, "  %-24s %.4f%n", e.getKey(), e.getValue());
    }
    return CommandLine.ExitCode.OK;
  }

  static final class DatasetConverter extends NamedValueConverter<DatasetKind> {
    DatasetConverter() {
      super("--dataset", "fashion-mnist", DatasetKind.FASHION_MNIST, "folder", DatasetKind.FOLDER);
    }
  }

  static final class LossConverter extends NamedValueConverter<LossKind> {
    LossConverter() {
      super("--loss", "triplet", LossKind.TRIPLET, "binary", LossKind.BINARY, "both", LossKind.BOTH,
          "triplet+binary", LossKind.BOTH);
    }
  }

  static final class MiningConverter extends NamedValueConverter<Mining> {
    MiningConverter() {
      super("--mining", "semi-hard", Mining.SEMI_HARD, "batch-hard", Mining.BATCH_HARD, "batch-all", Mining.BATCH_ALL);
    }
  }

  static final class DecayConverter extends NamedValueConverter<Boolean> {
    DecayConverter() {
      super("--lr-decay", "cosine", true, "none", false);
    }
  }

  static final class TripletDistanceConverter extends NamedValueConverter<TrainingConfig.TripletDistance> {
    TripletDistanceConverter() {
      super("--triplet-distance", "squared", TrainingConfig.TripletDistance.SQUARED,
          "euclidean", TrainingConfig.TripletDistance.EUCLIDEAN);
    }
  }

  static final class HeadConverter extends NamedValueConverter<TrainingConfig.HeadKind> {
    HeadConverter() {
      super("--head", "learned", TrainingConfig.HeadKind.LEARNED, "distance", TrainingConfig.HeadKind.DISTANCE);
    }
  }

  static final class ArchitectureConverter extends NamedValueConverter<EncoderSpec.Architecture> {
    ArchitectureConverter() {
      super("--architecture", "vgg", EncoderSpec.Architecture.VGG, "resnet", EncoderSpec.Architecture.RESNET);
    }
  }

  static final class ColorConverter extends NamedValueConverter<ModelManifest.ColorMode> {
    ColorConverter() {
      super("--color", "gray", ModelManifest.ColorMode.GRAY, "grey", ModelManifest.ColorMode.GRAY,
          "rgb", ModelManifest.ColorMode.RGB);
    }
  }
}
