package io.siamesestreams.trainer;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.data.FashionMnist;
import io.siamesestreams.trainer.loss.Mining;
import io.siamesestreams.trainer.model.EncoderSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one training run needs; {@link #builder()} starts from the defaults.
 *
 * @param dataset which dataset reader to use
 * @param dataDirectory dataset location; null means {@link FashionMnist#DEFAULT_DIRECTORY} for Fashion-MNIST
 * @param outputDirectory the bundle directory to write (model.json, encoder.onnx, head.onnx, eval.json, roc.png)
 * @param imageSize side of the square encoder input for image folders (Fashion-MNIST is always 28)
 * @param color channel order of the encoder input for image folders (Fashion-MNIST is always GRAY)
 * @param heldOutClasses class names kept out of training and validation entirely (open-set test)
 * @param validationFraction share of each training class carved out for validation (threshold and head calibration)
 * @param testFraction image folders only: share of each identity kept for the test split
 * @param steps optimiser steps
 * @param batchP classes per P×K batch
 * @param batchK images per class per P×K batch
 * @param loss which loss trains the encoder; the head is trained in every case
 * @param mining triplet mining after the warm-up
 * @param warmupSteps steps of semi-hard mining before {@code mining} takes over (0 = none)
 * @param margin triplet margin α on squared L2 distances
 * @param binaryWeight weight of the binary loss in {@link LossKind#BOTH}
 * @param convWidths filters of each convolution stage
 * @param hiddenUnits units of the hidden fully connected layer
 * @param embeddingDim embedding size D
 * @param batchNorm batch normalisation after each convolution
 * @param learningRate Adam's (initial) learning rate
 * @param clipGradient clip every gradient element to [−c, c] before the Adam update (0 = no clipping)
 * @param cosineDecay decay the learning rate along a cosine to {@value #FINAL_LR_FRACTION} of it at the last step
 * @param augment random horizontal flips, shifts of up to {@code augmentShift} pixels and, with {@code erasing > 0},
 *     random erasing
 * @param seed seeds the engine, the batch sampler, the pair samplers, the splits and the augmentation
 * @param threads PyTorch intra-op threads (0 = PyTorch's default)
 * @param targetFar false-accept rate at which the decision threshold is calibrated on validation pairs
 * @param calibrationPairs validation pairs for threshold and head calibration
 * @param evaluationPairs test pairs for the final evaluation
 * @param validateEvery steps between validation AUC checks during training (0 = only at the end)
 * @param keepBest with {@code validateEvery > 0}: ship the weights of the check with the best validation AUC
 *     (the final weights count as a check) instead of the last ones
 * @param modelId manifest model id
 * @param modelVersion manifest model version
 * @param convsPerStage convolutions before each pooling (2 with widths 32,64 = VGG-style [32,32]-pool-[64,64]-pool)
 * @param weightDecay decoupled weight decay of AdamW (0 = plain Adam)
 * @param lrWarmupSteps steps of linear learning-rate warm-up from 0 before the (cosine) schedule
 * @param emaDecay decay of the exponential moving average of the weights that is validated and exported
 *     (0 = no average: the raw weights)
 * @param augmentShift with {@code augment}: largest random shift in pixels (pad-and-crop)
 * @param erasing with {@code augment}: probability of random erasing per image
 * @param cosFaceWeight weight of the CosFace (normalised-softmax with additive cosine margin) term over the
 *     training classes (0 = off)
 * @param cosFaceScale CosFace scale s
 * @param cosFaceMargin CosFace cosine margin m
 * @param tripletDistance the distance inside the triplet loss
 * @param head which head.onnx ships: the learned head or a logistic function of the distance
 * @param calibrationClasses class names kept out of training but kept in validation, so that the threshold
 *     and head are calibrated with a class the encoder never saw (pseudo-unseen)
 * @param flip with {@code augment}: mirror each image horizontally with probability ½ (off for datasets whose
 *     objects all face one way, such as Fashion-MNIST's shoes and bags)
 * @param architecture VGG-style convolution stacks or residual units (see {@link EncoderSpec})
 */
public record TrainingConfig(
    DatasetKind dataset,
    Path dataDirectory,
    Path outputDirectory,
    int imageSize,
    ModelManifest.ColorMode color,
    List<String> heldOutClasses,
    double validationFraction,
    double testFraction,
    int steps,
    int batchP,
    int batchK,
    LossKind loss,
    Mining mining,
    int warmupSteps,
    float margin,
    float binaryWeight,
    List<Integer> convWidths,
    int hiddenUnits,
    int embeddingDim,
    boolean batchNorm,
    float learningRate,
    float clipGradient,
    boolean cosineDecay,
    boolean augment,
    long seed,
    int threads,
    double targetFar,
    int calibrationPairs,
    int evaluationPairs,
    int validateEvery,
    boolean keepBest,
    String modelId,
    String modelVersion,
    int convsPerStage,
    float weightDecay,
    int lrWarmupSteps,
    float emaDecay,
    int augmentShift,
    float erasing,
    float cosFaceWeight,
    float cosFaceScale,
    float cosFaceMargin,
    TripletDistance tripletDistance,
    HeadKind head,
    List<String> calibrationClasses,
    boolean flip,
    EncoderSpec.Architecture architecture) {

  /** Default largest random shift, in pixels, of the augmentation (with a horizontal flip with probability ½). */
  public static final int AUGMENT_MAX_SHIFT = 2;

  /** Learning rate at the last step as a fraction of the initial one, under cosine decay. */
  public static final float FINAL_LR_FRACTION = 0.05f;

  /** The distance inside the triplet loss. */
  public enum TripletDistance {
    /** ‖a − b‖² (the seed's; total collapse is a zero-gradient point). */
    SQUARED,
    /** ‖a − b‖ (Hermans et al. 2017). */
    EUCLIDEAN
  }

  /** Which head.onnx the bundle ships. */
  public enum HeadKind {
    /** The trained {@code σ(Σ_k w_k |a_k − b_k| + b)}, Platt-scaled on validation pairs. */
    LEARNED,
    /** {@code σ(a · ‖a − b‖² + c)} fitted on validation pairs: a calibrated function of the decision's own distance. */
    DISTANCE
  }

  /** The datasets the trainer reads. */
  public enum DatasetKind {
    /** Fashion-MNIST idx files; train split for training/validation, t10k split for test. */
    FASHION_MNIST,
    /** {@code root/<identity>/<image>}; train/validation/test carved per identity. */
    FOLDER
  }

  /** What trains the encoder. The head is always trained (on detached embeddings under TRIPLET). */
  public enum LossKind {
    TRIPLET("triplet"),
    BINARY("binary"),
    /** {@code triplet + binaryWeight · binary}, both through the encoder. */
    BOTH("triplet+binary");

    private final String manifestName;

    LossKind(String manifestName) {
      this.manifestName = manifestName;
    }

    /** The name the manifest's provenance uses. */
    public String manifestName() {
      return manifestName;
    }
  }

  public TrainingConfig {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(mining, "mining");
    Objects.requireNonNull(color, "color");
    heldOutClasses = List.copyOf(heldOutClasses);
    calibrationClasses = List.copyOf(calibrationClasses);
    Objects.requireNonNull(tripletDistance, "tripletDistance");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(architecture, "architecture");
    if (architecture == EncoderSpec.Architecture.RESNET && !batchNorm) {
      throw new IllegalArgumentException("the resnet architecture needs batch norm (--batch-norm)");
    }
    if (convsPerStage < 1) {
      throw new IllegalArgumentException("convsPerStage must be >= 1, was " + convsPerStage);
    }
    if (!(weightDecay >= 0) || !(cosFaceWeight >= 0) || !(cosFaceMargin >= 0) || !(cosFaceScale > 0)) {
      throw new IllegalArgumentException("weightDecay, cosFaceWeight and cosFaceMargin must be >= 0 and cosFaceScale > 0");
    }
    if (!(emaDecay >= 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("emaDecay must be in [0, 1), was " + emaDecay);
    }
    if (!(erasing >= 0 && erasing <= 1)) {
      throw new IllegalArgumentException("erasing must be in [0, 1], was " + erasing);
    }
    if (lrWarmupSteps < 0 || lrWarmupSteps >= steps || augmentShift < 0) {
      throw new IllegalArgumentException(
          "lrWarmupSteps must be in [0, steps) and augmentShift >= 0, were " + lrWarmupSteps + ", " + augmentShift);
    }
    for (String name : calibrationClasses) {
      if (heldOutClasses.contains(name)) {
        throw new IllegalArgumentException("class " + name + " is both held out and a calibration class");
      }
    }
    convWidths = List.copyOf(convWidths);
    if (dataset == DatasetKind.FOLDER && dataDirectory == null) {
      throw new IllegalArgumentException("an image-folder dataset needs its directory");
    }
    requirePositive("steps", steps);
    requirePositive("batchP", batchP);
    if (batchP < 2) {
      throw new IllegalArgumentException("batchP must be at least 2 (negatives need a second class), was " + batchP);
    }
    if (batchK < 2) {
      throw new IllegalArgumentException("batchK must be at least 2 (positives need a second image), was " + batchK);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, was " + warmupSteps);
    }
    if (!(margin > 0)) {
      throw new IllegalArgumentException("margin must be > 0, was " + margin);
    }
    if (!(binaryWeight >= 0)) {
      throw new IllegalArgumentException("binaryWeight must be >= 0, was " + binaryWeight);
    }
    if (!(clipGradient >= 0)) {
      throw new IllegalArgumentException("clipGradient must be >= 0, was " + clipGradient);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be in (0, 1), was " + validationFraction);
    }
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
    }
    if (!(targetFar > 0 && targetFar < 1)) {
      throw new IllegalArgumentException("targetFar must be in (0, 1), was " + targetFar);
    }
    requirePositive("calibrationPairs", calibrationPairs);
    requirePositive("evaluationPairs", evaluationPairs);
    requirePositive("imageSize", imageSize);
    if (threads < 0 || validateEvery < 0) {
      throw new IllegalArgumentException("threads and validateEvery must be >= 0");
    }
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(modelVersion, "modelVersion");
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }

  /** The encoder architecture for an input of {@code channels × height × width}. */
  public EncoderSpec encoderSpec(int channels, int height, int width) {
    return new EncoderSpec(
        channels, height, width, convWidths, hiddenUnits, embeddingDim, batchNorm, convsPerStage, architecture);
  }

  /** The mining used at {@code step} (0-based): semi-hard during the warm-up, then {@link #mining()}. */
  public Mining miningAt(int step) {
    return step < warmupSteps ? Mining.SEMI_HARD : mining;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dataset = dataset;
    b.dataDirectory = dataDirectory;
    b.outputDirectory = outputDirectory;
    b.imageSize = imageSize;
    b.color = color;
    b.heldOutClasses = heldOutClasses;
    b.validationFraction = validationFraction;
    b.testFraction = testFraction;
    b.steps = steps;
    b.batchP = batchP;
    b.batchK = batchK;
    b.loss = loss;
    b.mining = mining;
    b.warmupSteps = warmupSteps;
    b.margin = margin;
    b.binaryWeight = binaryWeight;
    b.convWidths = convWidths;
    b.hiddenUnits = hiddenUnits;
    b.embeddingDim = embeddingDim;
    b.batchNorm = batchNorm;
    b.learningRate = learningRate;
    b.clipGradient = clipGradient;
    b.cosineDecay = cosineDecay;
    b.augment = augment;
    b.seed = seed;
    b.threads = threads;
    b.targetFar = targetFar;
    b.calibrationPairs = calibrationPairs;
    b.evaluationPairs = evaluationPairs;
    b.validateEvery = validateEvery;
    b.keepBest = keepBest;
    b.modelId = modelId;
    b.modelVersion = modelVersion;
    b.convsPerStage = convsPerStage;
    b.weightDecay = weightDecay;
    b.lrWarmupSteps = lrWarmupSteps;
    b.emaDecay = emaDecay;
    b.augmentShift = augmentShift;
    b.erasing = erasing;
    b.cosFaceWeight = cosFaceWeight;
    b.cosFaceScale = cosFaceScale;
    b.cosFaceMargin = cosFaceMargin;
    b.tripletDistance = tripletDistance;
    b.head = head;
    b.calibrationClasses = calibrationClasses;
    b.flip = flip;
    b.architecture = architecture;
    return b;
  }

  /** Mutable builder; every setter returns this. */
  public static final class Builder {
    private DatasetKind dataset = DatasetKind.FASHION_MNIST;
    private Path dataDirectory;
    private Path outputDirectory = Path.of("models", "fashion-mnist");
    private int imageSize = 64;
    private ModelManifest.ColorMode color = ModelManifest.ColorMode.GRAY;
    private List<String> heldOutClasses = List.of();
    private double validationFraction = 0.1;
    private double testFraction = 0.2;
    private int steps = 1000;
    private int batchP = 8;
    private int batchK = 16;
    private LossKind loss = LossKind.TRIPLET;
    private Mining mining = Mining.SEMI_HARD;
    private int warmupSteps = 0;
    private float margin = 0.2f;
    private float binaryWeight = 1.0f;
    private List<Integer> convWidths = List.of(32, 64);
    private int hiddenUnits = 128;
    private int embeddingDim = 64;
    private boolean batchNorm = false;
    private float learningRate = 1e-3f;
    private float clipGradient = 0f;
    private boolean cosineDecay = true;
    private boolean augment = false;
    private long seed = 42;
    private int threads = 0;
    private double targetFar = 1e-2;
    private int calibrationPairs = 20_000;
    private int evaluationPairs = 20_000;
    private int validateEvery = 0;
    private boolean keepBest = true;
    private String modelId = "fashion-mnist-siamese";
    private String modelVersion = "1";
    private int convsPerStage = 1;
    private float weightDecay = 0f;
    private int lrWarmupSteps = 0;
    private float emaDecay = 0f;
    private int augmentShift = AUGMENT_MAX_SHIFT;
    private float erasing = 0f;
    private float cosFaceWeight = 0f;
    private float cosFaceScale = 16f;
    private float cosFaceMargin = 0.2f;
    private TripletDistance tripletDistance = TripletDistance.SQUARED;
    private HeadKind head = HeadKind.LEARNED;
    private List<String> calibrationClasses = List.of();
    private boolean flip = true;
    private EncoderSpec.Architecture architecture = EncoderSpec.Architecture.VGG;

    private Builder() {}

    public Builder dataset(DatasetKind v) { dataset = v; return this; }
    public Builder dataDirectory(Path v) { dataDirectory = v; return this; }
    public Builder outputDirectory(Path v) { outputDirectory = v; return this; }
    public Builder imageSize(int v) { imageSize = v; return this; }
    public Builder color(ModelManifest.ColorMode v) { color = v; return this; }
    public Builder heldOutClasses(List<String> v) { heldOutClasses = v; return this; }
    public Builder validationFraction(double v) { validationFraction = v; return this; }
    public Builder testFraction(double v) { testFraction = v; return this; }
    public Builder steps(int v) { steps = v; return this; }
    public Builder batchP(int v) { batchP = v; return this; }
    public Builder batchK(int v) { batchK = v; return this; }
    public Builder loss(LossKind v) { loss = v; return this; }
    public Builder mining(Mining v) { mining = v; return this; }
    public Builder warmupSteps(int v) { warmupSteps = v; return this; }
    public Builder margin(float v) { margin = v; return this; }
    public Builder binaryWeight(float v) { binaryWeight = v; return this; }
    public Builder convWidths(List<Integer> v) { convWidths = v; return this; }
    public Builder hiddenUnits(int v) { hiddenUnits = v; return this; }
    public Builder embeddingDim(int v) { embeddingDim = v; return this; }
    public Builder batchNorm(boolean v) { batchNorm = v; return this; }
    public Builder learningRate(float v) { learningRate = v; return this; }
    public Builder clipGradient(float v) { clipGradient = v; return this; }
    public Builder cosineDecay(boolean v) { cosineDecay = v; return this; }
    public Builder augment(boolean v) { augment = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder threads(int v) { threads = v; return this; }
    public Builder targetFar(double v) { targetFar = v; return this; }
    public Builder calibrationPairs(int v) { calibrationPairs = v; return this; }
    public Builder evaluationPairs(int v) { evaluationPairs = v; return this; }
    public Builder validateEvery(int v) { validateEvery = v; return this; }
    public Builder keepBest(boolean v) { keepBest = v; return this; }
    public Builder modelId(String v) { modelId = v; return this; }
    public Builder modelVersion(String v) { modelVersion = v; return this; }
    public Builder convsPerStage(int v) { convsPerStage = v; return this; }
    public Builder weightDecay(float v) { weightDecay = v; return this; }
    public Builder lrWarmupSteps(int v) { lrWarmupSteps = v; return this; }
    public Builder emaDecay(float v) { emaDecay = v; return this; }
    public Builder augmentShift(int v) { augmentShift = v; return this; }
    public Builder erasing(float v) { erasing = v; return this; }
    public Builder cosFaceWeight(float v) { cosFaceWeight = v; return this; }
    public Builder cosFaceScale(float v) { cosFaceScale = v; return this; }
    public Builder cosFaceMargin(float v) { cosFaceMargin = v; return this; }
    public Builder tripletDistance(TripletDistance v) { tripletDistance = v; return this; }
    public Builder head(HeadKind v) { head = v; return this; }
    public Builder calibrationClasses(List<String> v) { calibrationClasses = v; return this; }
    public Builder flip(boolean v) { flip = v; return this; }
    public Builder architecture(EncoderSpec.Architecture v) { architecture = v; return this; }

    public TrainingConfig build() {
      return new TrainingConfig(
          dataset, dataDirectory, outputDirectory, imageSize, color, heldOutClasses, validationFraction,
          testFraction, steps, batchP, batchK, loss, mining, warmupSteps, margin, binaryWeight, convWidths,
          hiddenUnits, embeddingDim, batchNorm, learningRate, clipGradient, cosineDecay, augment, seed, threads, targetFar,
          calibrationPairs, evaluationPairs, validateEvery, keepBest, modelId, modelVersion, convsPerStage, weightDecay,
          lrWarmupSteps, emaDecay, augmentShift, erasing, cosFaceWeight, cosFaceScale, cosFaceMargin, tripletDistance,
          head, calibrationClasses, flip, architecture);
    }
  }
}
