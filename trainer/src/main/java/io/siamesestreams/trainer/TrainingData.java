package io.siamesestreams.trainer;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.trainer.data.FashionMnist;
import io.siamesestreams.trainer.data.ImageFolderDataset;
import io.siamesestreams.trainer.data.LabeledImages;
import io.siamesestreams.trainer.data.Splits;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The splits of one run and the encoder input they are normalised for.
 *
 * <p>Held-out classes appear in neither {@code train} nor {@code validation}; calibration classes
 * ({@link TrainingConfig#calibrationClasses()}) appear in {@code validation} only; {@code test} holds
 * every class (for Fashion-MNIST the whole t10k split). The input's mean and standard deviation are
 * measured on (a seeded sample of) the training images.
 *
 * @param datasetName the manifest's {@code provenance.dataset}
 * @param train images the encoder is trained on
 * @param validation images carved from the training classes, for threshold and head calibration
 * @param test images for the final evaluation, held-out classes included
 * @param heldOutLabels labels of the held-out classes
 * @param heldOutClasses names of the held-out classes, in the order given
 * @param input the encoder input the preprocessing follows
 */
public record TrainingData(
    String datasetName,
    LabeledImages train,
    LabeledImages validation,
    LabeledImages test,
    Set<Integer> heldOutLabels,
    List<String> heldOutClasses,
    ModelManifest.Input input) {

  /** Name of the encoder's input tensor. */
  public static final String INPUT_TENSOR = "image";
  /** Images sampled to measure the input mean and standard deviation. */
  static final int STATISTICS_SAMPLE = 10_000;

  /** Loads and splits the dataset {@code config} names. */
  public static TrainingData load(TrainingConfig config) {
    return switch (config.dataset()) {
      case FASHION_MNIST -> fashionMnist(config);
      case FOLDER -> imageFolder(config);
    };
  }

  private static TrainingData fashionMnist(TrainingConfig config) {
    Path dir = config.dataDirectory() == null ? FashionMnist.DEFAULT_DIRECTORY : config.dataDirectory();
    LabeledImages all = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
    LabeledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
    Set<Integer> heldOut = all.labelsOf(config.heldOutClasses());
    Splits.TrainValidation tv =
        Splits.validation(all.withoutLabels(heldOut), config.validationFraction(), config.seed());
    // Calibration classes keep their validation share but never train: pseudo-unseen for the calibration.
    LabeledImages train = tv.train().withoutLabels(all.labelsOf(config.calibrationClasses()));
    ModelManifest.Input input =
        measuredInput(train, 1, 28, 28, ModelManifest.ColorMode.GRAY, ModelManifest.ResizePolicy.EXACT, config.seed());
    return new TrainingData("fashion-mnist", train, tv.validation(), test, heldOut, config.heldOutClasses(), input);
  }

  private static TrainingData imageFolder(TrainingConfig config) {
    LabeledImages all = ImageFolderDataset.load(config.dataDirectory());
    Set<Integer> heldOut = all.labelsOf(config.heldOutClasses());
    // Test first, over every identity, so held-out identities are tested too; then validation from what trains.
    Splits.TrainValidation rest = Splits.validation(all, config.testFraction(), config.seed() + 1);
    Splits.TrainValidation tv =
        Splits.validation(rest.train().withoutLabels(heldOut), config.validationFraction(), config.seed());
    LabeledImages train = tv.train().withoutLabels(all.labelsOf(config.calibrationClasses()));
    int channels = config.color() == ModelManifest.ColorMode.RGB ? 3 : 1;
    ModelManifest.Input input =
        measuredInput(
            train, channels, config.imageSize(), config.imageSize(), config.color(),
            ModelManifest.ResizePolicy.STRETCH, config.seed());
    return new TrainingData(
        "folder:" + config.dataDirectory().getFileName(), train, tv.validation(), rest.validation(), heldOut,
        config.heldOutClasses(), input);
  }

  /**
   * An input whose per-channel mean and standard deviation (on the [0, 1] scale, rounded to 4
   * decimals) are measured over a seeded sample of {@code images}.
   */
  static ModelManifest.Input measuredInput(
      LabeledImages images, int channels, int height, int width, ModelManifest.ColorMode color,
      ModelManifest.ResizePolicy resize, long seed) {
    float[] zeros = new float[channels];
    float[] ones = new float[channels];
    Arrays.fill(ones, 1f);
    ModelManifest.Input raw =
        new ModelManifest.Input(INPUT_TENSOR, ModelManifest.Layout.NCHW, channels, height, width, color, resize, zeros, ones);
    ImagePreprocessor preprocessor = new ImagePreprocessor(raw);
    int n = Math.min(STATISTICS_SAMPLE, images.size());
    int[] sample = sampleIndices(images.size(), n, seed);
    FloatBuffer one = preprocessor.allocate(1);
    int plane = height * width;
    double[] sum = new double[channels];
    double[] sumSquares = new double[channels];
    for (int index : sample) {
      one.clear();
      try {
        images.putImage(index, preprocessor, one);
      } catch (InvalidImageException e) {
        throw new IllegalStateException("training image " + index + " cannot be decoded: " + e.getMessage(), e);
      }
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < plane; p++) {
          double v = one.get(c * plane + p);
          sum[c] += v;
          sumSquares[c] += v * v;
        }
      }
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    double count = (double) n * plane;
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / count;
      double variance = Math.max(sumSquares[c] / count - m * m, 1e-8);
      mean[c] = round4(m);
      std[c] = Math.max(round4(Math.sqrt(variance)), 1e-4f);
    }
    return new ModelManifest.Input(INPUT_TENSOR, ModelManifest.Layout.NCHW, channels, height, width, color, resize, mean, std);
  }

  private static int[] sampleIndices(int size, int n, long seed) {
    int[] all = new int[size];
    for (int i = 0; i < size; i++) {
      all[i] = i;
    }
    if (n == size) {
      return all;
    }
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(size - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, n);
  }

  private static float round4(double v) {
    return (float) (Math.round(v * 10_000) / 10_000.0);
  }
}
