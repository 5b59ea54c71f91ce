package io.siamesestreams.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.trainer.data.Augmenter;
import io.siamesestreams.trainer.data.LabeledImages;
import io.siamesestreams.trainer.data.PairSampler;
import io.siamesestreams.trainer.data.PairSet;
import io.siamesestreams.trainer.data.PkBatchSampler;
import io.siamesestreams.trainer.eval.RocCurve;
import io.siamesestreams.trainer.loss.BinaryPairLoss;
import io.siamesestreams.trainer.loss.CombinedLoss;
import io.siamesestreams.trainer.loss.CosFaceLoss;
import io.siamesestreams.trainer.loss.LossResult;
import io.siamesestreams.trainer.loss.Mining;
import io.siamesestreams.trainer.loss.TripletLoss;
import io.siamesestreams.trainer.model.EncoderSpec;
import io.siamesestreams.trainer.model.SiameseNetwork;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a Siamese encoder and head with DJL (PyTorch engine, CPU, offline) and writes the model
 * bundle: data → P×K batches (augmented) → encoder → triplet and/or binary loss (plus an optional
 * CosFace term) → Adam or AdamW (learning-rate warm-up, cosine decay), with an optional exponential
 * moving average of the weights that is what gets validated and exported; then ONNX export,
 * threshold and head calibration on validation pairs and evaluation on test pairs
 * ({@link BundleWriter}).
 *
 * <p>Reproducible: the engine and every random source are seeded from {@link TrainingConfig#seed()}.
 * Never downloads: {@code ai.djl.offline} is set to true unless the caller set it.
 */
public final class Trainer {

  /** Embedding batch size for validation in DJL. */
  static final int EMBED_BATCH = 256;
  /** Validation pairs for the DJL validation AUC. */
  static final int VALIDATION_PAIRS = 4_000;
  private static final String ENGINE = "PyTorch";

  private final TrainingConfig config;
  private final PrintStream log;

  private Trainer(TrainingConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** Trains with progress on {@code System.err}. */
  public static TrainingResult train(TrainingConfig config) {
    return train(config, System.err);
  }

  /** Trains, printing progress and messages to {@code log}. */
  public static TrainingResult train(TrainingConfig config, PrintStream log) {
    return new Trainer(config, log).run();
  }

  /** Loads the PyTorch engine offline with the configured threads and seeds it. */
  static Engine engine(int threads, long seed) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    Engine engine = Engine.getEngine(ENGINE);
    engine.setRandomSeed((int) (seed ^ (seed >>> 32)));
    return engine;
  }

  private TrainingResult run() {
    long runStart = System.nanoTime();
    Engine engine = engine(config.threads(), config.seed());
    TrainingData data = TrainingData.load(config);
    log.printf(
        Locale.ROOT,
        "data: %d train, %d validation, %d test images; held out %s; input mean %s std %s%n",
        data.train().size(),
        data.validation().size(),
        data.test().size(),
        data.heldOutClasses(),
        Arrays.toString(data.input().mean()),
        Arrays.toString(data.input().std()));
    ModelSetup setup = new ModelSetup(data);
    EncoderSpec spec = config.encoderSpec(data.input().channels(), data.input().height(), data.input().width());
    log.println("encoder: " + spec.describe());

    try (NDManager manager = engine.newBaseManager(Device.cpu())) {
      int classes = config.cosFaceWeight() > 0 ? data.train().classNames().size() : 0;
      SiameseNetwork network = SiameseNetwork.create(spec, classes).initialize(manager);
      Loop loop = new Loop(network, manager, setup);
      loop.run();
      double validationAuc = loop.validationAuc;
      log.printf(
          Locale.ROOT, "validation AUC (DJL, %d pairs) of the weights of step %d: %.4f%n",
          VALIDATION_PAIRS, loop.shippedStep, validationAuc);

      BundleWriter.Result bundle =
          BundleWriter.write(
              config, data, network,
              new BundleWriter.TrainingFigures(
                  loop.trainingSeconds, loop.imagesPerSecond(), validationAuc, loop.shippedStep,
                  engine.getVersion()),
              log);
      double totalSeconds = (System.nanoTime() - runStart) / 1e9;
      return new TrainingResult(
          config,
          loop.losses,
          loop.activeFractions,
          validationAuc,
          loop.shippedStep,
          loop.imagesPerSecond(),
          loop.trainingSeconds,
          totalSeconds,
          config.outputDirectory(),
          bundle.evaluation(),
          bundle.threshold());
    }
  }

  /** The preprocessing shared by the loop and validation. */
  private record ModelSetup(TrainingData data, ImagePreprocessor preprocessor) {
    ModelSetup(TrainingData data) {
      this(data, new ImagePreprocessor(data.input()));
    }
  }

  /** The optimisation loop and its measurements. */
  private final class Loop {
    private final SiameseNetwork network;
    private final NDManager manager;
    private final ModelSetup setup;
    final float[] losses = new float[config.steps()];
    final float[] activeFractions = new float[config.steps()];
    double trainingSeconds;
    long images;
    double validationAuc;
    int shippedStep;
    private double bestAuc = Double.NEGATIVE_INFINITY;
    private int bestStep;
    private Map<Parameter, float[]> bestWeights;
    private WeightAverage average;

    Loop(SiameseNetwork network, NDManager manager, ModelSetup setup) {
      this.network = network;
      this.manager = manager;
      this.setup = setup;
    }

    double imagesPerSecond() {
      return trainingSeconds > 0 ? images / trainingSeconds : 0;
    }

    void run() {
      int batchSize = config.batchP() * config.batchK();
      EncoderSpec spec = network.spec();
      Shape batchShape = new Shape(batchSize, spec.channels(), spec.height(), spec.width());
      int scheduled = config.steps() - config.lrWarmupSteps();
      Tracker learningRate =
          config.cosineDecay()
              ? Tracker.cosine()
                  .setBaseValue(config.learningRate())
                  .optFinalValue(config.learningRate() * TrainingConfig.FINAL_LR_FRACTION)
                  .setMaxUpdates(scheduled)
                  .build()
              : Tracker.fixed(config.learningRate());
      if (config.lrWarmupSteps() > 0) {
        learningRate =
            Tracker.warmUp()
                .setMainTracker(learningRate)
                .optWarmUpSteps(config.lrWarmupSteps())
                .optWarmUpBeginValue(0f)
                .build();
      }
      Optimizer optimizer;
      if (config.weightDecay() > 0) {
        var adamW = Optimizer.adamW().optLearningRateTracker(learningRate).optWeightDecays(config.weightDecay());
        if (config.clipGradient() > 0) {
          adamW.optClipGrad(config.clipGradient());
        }
        optimizer = adamW.build();
      } else {
        var adam = Optimizer.adam().optLearningRateTracker(learningRate);
        if (config.clipGradient() > 0) {
          adam.optClipGrad(config.clipGradient());
        }
        optimizer = adam.build();
      }
      ParameterStore parameters = new ParameterStore(manager, false);
      parameters.setParameterServer(new LocalParameterServer(optimizer), new Device[] {manager.getDevice()});

      Map<Mining, TripletLoss> tripletLosses = new EnumMap<>(Mining.class);
      for (Mining m : Mining.values()) {
        tripletLosses.put(
            m, new TripletLoss(config.margin(), m, config.tripletDistance() == TrainingConfig.TripletDistance.EUCLIDEAN));
      }
      CosFaceLoss cosFace =
          config.cosFaceWeight() > 0 ? new CosFaceLoss(config.cosFaceScale(), config.cosFaceMargin()) : null;
      average = config.emaDecay() > 0
          ? new WeightAverage(List.of(network.encoder(), network.head()), config.emaDecay()) : null;
      BinaryPairLoss binaryLoss = new BinaryPairLoss(config.seed());
      LabeledImages train = setup.data().train();
      PkBatchSampler sampler = new PkBatchSampler(train, config.batchP(), config.batchK(), new Random(config.seed()));
      BatchLoader loader = new BatchLoader(train, setup.preprocessor());
      Augmenter augmenter =
          config.augment()
              ? new Augmenter(
                  spec.channels(), spec.height(), spec.width(), config.augmentShift(), config.flip(),
                  new Random(config.seed() + 7)).withErasing(config.erasing())
              : null;
      FloatBuffer batch = setup.preprocessor().allocate(batchSize);
      int[] labels = new int[batchSize];
      ProgressBar progress = new ProgressBar(log, config.steps(), 1000, System.console() != null);

      long start = System.nanoTime();
      for (int step = 0; step < config.steps(); step++) {
        if (step == config.warmupSteps() && step > 0 && config.mining() != Mining.SEMI_HARD) {
          progress.message("step " + step + ": warm-up over, mining " + config.mining());
        }
        int[] indices = sampler.next();
        for (int i = 0; i < batchSize; i++) {
          labels[i] = train.label(indices[i]);
        }
        loader.load(indices, batch);
        if (augmenter != null) {
          augmenter.apply(batch, batchSize);
        }
        try (NDManager stepManager = manager.newSubManager()) {
          NDArray x = stepManager.create(batch, batchShape);
          try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray embeddings = network.embed(parameters, x, true);
            NDArray weight = network.headWeight(parameters, true);
            NDArray bias = network.headBias(parameters, true);
            NDArray total;
            float active;
            switch (config.loss()) {
              case TRIPLET -> {
                LossResult triplet = tripletLosses.get(config.miningAt(step)).compute(embeddings, labels);
                // The head learns on detached embeddings: the encoder sees only the triplet gradient.
                LossResult head = binaryLoss.compute(embeddings.stopGradient(), labels, weight, bias);
                total = triplet.loss().add(head.loss());
                losses[step] = triplet.value();
                active = triplet.activeFraction();
              }
              case BINARY -> {
                LossResult head = binaryLoss.compute(embeddings, labels, weight, bias);
                total = head.loss();
                losses[step] = head.value();
                active = head.activeFraction();
              }
              case BOTH -> {
                CombinedLoss.Result both =
                    new CombinedLoss(tripletLosses.get(config.miningAt(step)), 1f, binaryLoss, config.binaryWeight())
                        .compute(embeddings, labels, weight, bias);
                total = both.loss();
                losses[step] = both.value();
                active = both.triplet().activeFraction();
              }
              default -> throw new IllegalStateException("unknown loss " + config.loss());
            }
            if (cosFace != null) {
              LossResult classes = cosFace.compute(embeddings, network.classWeights(parameters, true), labels);
              total = total.add(classes.loss().mul(config.cosFaceWeight()));
              losses[step] += config.cosFaceWeight() * classes.value();
            }
            activeFractions[step] = active;
            collector.backward(total);
          }
          parameters.updateAllParameters();
        }
        if (average != null) {
          average.update();
        }
        if (!Float.isFinite(losses[step])) {
          throw new IllegalStateException("loss became " + losses[step] + " at step " + (step + 1));
        }
        images += batchSize;
        progress.update(step + 1, losses[step], activeFractions[step], images);
        if (config.validateEvery() > 0 && (step + 1) % config.validateEvery() == 0 && step + 1 < config.steps()) {
          long pausedAt = System.nanoTime();
          Map<Parameter, float[]> raw = null;
          if (average != null) {
            raw = snapshot(network);
            average.copyIntoParameters();
          }
          double auc = validationAuc(network, manager, setup);
          boolean best = auc > bestAuc;
          if (best && config.keepBest()) {
            bestAuc = auc;
            bestStep = step + 1;
            bestWeights = snapshot(network);
          }
          if (raw != null) {
            restore(raw);
          }
          progress.message(
              String.format(Locale.ROOT, "step %d: validation AUC %.4f%s", step + 1, auc, best ? " (best so far)" : ""));
          start += System.nanoTime() - pausedAt; // validation time is not training time
        }
      }
      trainingSeconds = (System.nanoTime() - start) / 1e9;
      if (average != null) {
        average.copyIntoParameters(); // from here on the network holds the averaged weights
        average.close();
      }
      validationAuc = validationAuc(network, manager, setup);
      shippedStep = config.steps();
      if (bestWeights != null && bestAuc > validationAuc) {
        restore(bestWeights);
        log.printf(
            Locale.ROOT, "keeping the weights of step %d (validation AUC %.4f) over the last ones (%.4f)%n",
            bestStep, bestAuc, validationAuc);
        validationAuc = bestAuc;
        shippedStep = bestStep;
      }
      log.printf(
          Locale.ROOT,
          "trained %d steps in %.1f s (%.0f img/s); mean loss first 10%% %.4f, last 10%% %.4f%n",
          config.steps(),
          trainingSeconds,
          imagesPerSecond(),
          mean(losses, 0, Math.max(1, config.steps() / 10)),
          mean(losses, config.steps() - Math.max(1, config.steps() / 10), config.steps()));
    }
  }

  /** Copies of every parameter array of the encoder and head (batch-norm running statistics included). */
  private static Map<Parameter, float[]> snapshot(SiameseNetwork network) {
    Map<Parameter, float[]> copy = new IdentityHashMap<>();
    for (var block : List.of(network.encoder(), network.head())) {
      for (Pair<String, Parameter> p : block.getParameters()) {
        copy.put(p.getValue(), p.getValue().getArray().toFloatArray());
      }
    }
    return copy;
  }

  private static void restore(Map<Parameter, float[]> weights) {
    weights.forEach((parameter, values) -> parameter.getArray().set(values));
  }

  /** Distance AUC of the DJL encoder (inference mode) on seeded balanced validation pairs. */
  private double validationAuc(SiameseNetwork network, NDManager manager, ModelSetup setup) {
    LabeledImages validation = setup.data().validation();
    float[] embeddings = embedAll(network, manager, validation, setup.preprocessor());
    PairSet pairs = PairSampler.balanced(validation, VALIDATION_PAIRS, config.seed() + 11);
    int d = network.spec().embeddingDim();
    double[] distances = new double[pairs.size()];
    for (int p = 0; p < pairs.size(); p++) {
      int a = pairs.left()[p] * d;
      int b = pairs.right()[p] * d;
      double sum = 0;
      for (int k = 0; k < d; k++) {
        double diff = embeddings[a + k] - embeddings[b + k];
        sum += diff * diff;
      }
      distances[p] = sum;
    }
    return RocCurve.ofDistances(distances, pairs.same()).auc();
  }

  /** Embeds every image with the DJL encoder in inference mode; size × D floats, row-major. */
  static float[] embedAll(
      SiameseNetwork network, NDManager manager, LabeledImages images, ImagePreprocessor preprocessor) {
    EncoderSpec spec = network.spec();
    int d = spec.embeddingDim();
    float[] out = new float[images.size() * d];
    BatchLoader loader = new BatchLoader(images, preprocessor);
    FloatBuffer batch = preprocessor.allocate(EMBED_BATCH);
    ParameterStore parameters = new ParameterStore(manager, false);
    for (int from = 0; from < images.size(); from += EMBED_BATCH) {
      int count = Math.min(EMBED_BATCH, images.size() - from);
      int[] indices = new int[count];
      for (int i = 0; i < count; i++) {
        indices[i] = from + i;
      }
      loader.load(indices, batch);
      try (NDManager stepManager = manager.newSubManager()) {
        NDArray x = stepManager.create(batch, new Shape(count, spec.channels(), spec.height(), spec.width()));
        float[] e = network.embed(parameters, x, false).toFloatArray();
        System.arraycopy(e, 0, out, from * d, count * d);
      }
    }
    return out;
  }

  private static double mean(float[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }
}
