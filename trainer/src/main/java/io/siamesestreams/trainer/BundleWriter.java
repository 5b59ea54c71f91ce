package io.siamesestreams.trainer;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.trainer.eval.EvalReport;
import io.siamesestreams.trainer.eval.Evaluator;
import io.siamesestreams.trainer.eval.PlattScaling;
import io.siamesestreams.trainer.export.DistanceHead;
import io.siamesestreams.trainer.export.HeadWeights;
import io.siamesestreams.trainer.export.OnnxExporter;
import io.siamesestreams.trainer.loss.Mining;
import io.siamesestreams.trainer.model.SiameseNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a trained network into a model bundle the service loads, evaluating it the way the service
 * runs it (ONNX Runtime, core preprocessing):
 *
 * <ol>
 *   <li>export {@code encoder.onnx} and {@code head.onnx};
 *   <li>calibrate the decision threshold at the target false-accept rate, Platt-scale the learned head and
 *       fit the distance head, all on the same validation pairs; re-export {@code head.onnx} as the head the
 *       configuration chose: the learned head with {@code w' = scale·w}, {@code b' = scale·b + shift}, or the
 *       distance head {@code σ(a·d + c)};
 *   <li>evaluate on test pairs (with the held-out classes), write {@code eval.json} and {@code roc.png};
 *   <li>write {@code model.json} with the figures in {@code evaluation}.
 * </ol>
 */
final class BundleWriter {

  static final String EVAL_FILE = "eval.json";
  static final String ROC_FILE = "roc.png";
  /** Written only until calibration replaces it. */
  private static final double PROVISIONAL_THRESHOLD = 1.0;

  /** Measurements of the training loop recorded in the provenance. */
  record TrainingFigures(
      double trainingSeconds, double imagesPerSecond, double validationAuc, int shippedStep, String pytorchVersion) {}

  /** What was written. */
  record Result(ModelManifest manifest, double threshold, PlattScaling headCalibration, Map<String, Double> evaluation) {}

  private BundleWriter() {}

  static Result write(
      TrainingConfig config, TrainingData data, SiameseNetwork network, TrainingFigures figures, PrintStream log) {
    Path dir = config.outputDirectory();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bundle directory " + dir, e);
    }
    Map<String, String> onnxMetadata = Map.of(
        "producer", "siamese-streams trainer (DJL " + Engine.getDjlVersion() + ")",
        "model_id", config.modelId(),
        "model_version", config.modelVersion());
    Path encoderFile = dir.resolve(ModelManifest.ENCODER_FILE);
    Path headFile = dir.resolve(ModelManifest.HEAD_FILE);
    OnnxExporter.writeEncoder(network, encoderFile, onnxMetadata);
    HeadWeights head = OnnxExporter.headWeights(network);
    OnnxExporter.writeHead(head, headFile, onnxMetadata);

    ModelManifest provisional = manifest(config, data, network, figures, PROVISIONAL_THRESHOLD, "provisional", null, Map.of());
    ModelBundle.writeManifest(dir, provisional);

    ModelBundle uncalibrated = ModelBundle.load(dir);
    long calibrationSeed = config.seed() + 101;
    // One pass over the validation images gives both the threshold and the head's scaling.
    Evaluator.Calibration calibration =
        Evaluator.calibrate(
            uncalibrated, data.validation(), config.calibrationPairs(), calibrationSeed, config.targetFar());
    double threshold = calibration.threshold();
    PlattScaling platt = calibration.head().orElseThrow();
    DistanceHead distanceHead =
        new DistanceHead(network.spec().embeddingDim(), -calibration.distance().scale(), calibration.distance().shift());
    log.printf(
        Locale.ROOT,
        "calibrated on %d validation pairs: threshold %.4f at FAR %.0e; learned head Platt scale %.4f shift %.4f;"
            + " distance head p = σ(%.4f·d + %.4f), p at the threshold %.3f; shipping the %s head%n",
        config.calibrationPairs(), threshold, config.targetFar(), platt.scale(), platt.shift(), distanceHead.scale(),
        distanceHead.shift(), distanceHead.probability(threshold), headName(config.head()));
    if (config.head() == TrainingConfig.HeadKind.DISTANCE) {
      OnnxExporter.writeDistanceHead(distanceHead, headFile, onnxMetadata);
    } else {
      OnnxExporter.writeHead(head.calibrated(platt), headFile, onnxMetadata);
    }
    String calibratedOn = String.format(
        Locale.ROOT,
        "%d balanced pairs (seed %d) of the validation split: %d images of the training classes, never trained on",
        config.calibrationPairs(), calibrationSeed, data.validation().size());
    if (!config.calibrationClasses().isEmpty()) {
      calibratedOn += ", including classes kept out of training as pseudo-unseen: "
          + String.join(", ", config.calibrationClasses());
    }
    HeadChoice headChoice = new HeadChoice(config.head(), platt, distanceHead);
    ModelBundle.writeManifest(dir, manifest(config, data, network, figures, threshold, calibratedOn, headChoice, Map.of()));

    ModelBundle calibrated = ModelBundle.load(dir);
    long testSeed = config.seed() + 202;
    EvalReport report = Evaluator.evaluate(calibrated, data.test(), data.heldOutLabels(), config.evaluationPairs(), testSeed);
    report.writeJson(dir.resolve(EVAL_FILE));
    report.writeRocPng(dir.resolve(ROC_FILE));
    log.println(report.summary());
    Map<String, Double> evaluation = new LinkedHashMap<>();
    report.figures().forEach((k, v) -> {
      if (v != null && Double.isFinite(v)) {
        evaluation.put(k, v);
      }
    });
    ModelManifest finalManifest = manifest(config, data, network, figures, threshold, calibratedOn, headChoice, evaluation);
    ModelBundle.writeManifest(dir, finalManifest);
    ModelBundle.load(dir); // the shipped bundle must load
    return new Result(finalManifest, threshold, platt, report.figures());
  }

  /** The head that ships and the calibrations of both heads; null in the provisional manifest. */
  record HeadChoice(TrainingConfig.HeadKind kind, PlattScaling learnedPlatt, DistanceHead distance) {}

  /** learned or distance, as the manifest's provenance names the shipped head. */
  static String headName(TrainingConfig.HeadKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  static ModelManifest manifest(
      TrainingConfig config, TrainingData data, SiameseNetwork network, TrainingFigures figures, double threshold,
      String calibratedOn, HeadChoice headChoice, Map<String, Double> evaluation) {
    PlattScaling platt = headChoice == null ? null : headChoice.learnedPlatt();
    boolean distanceHead = headChoice != null && headChoice.kind() == TrainingConfig.HeadKind.DISTANCE;
    int d = network.spec().embeddingDim();
    ModelManifest.Output output = new ModelManifest.Output(OnnxExporter.EMBEDDING_OUTPUT, d, true);
    ModelManifest.Distance distance = new ModelManifest.Distance(
        ModelManifest.Metric.SQUARED_L2,
        "d = Σ_k (a_k − b_k)² over the L2-normalised embeddings a and b (0 = identical, 4 = opposite)");
    ModelManifest.Decision decision = new ModelManifest.Decision(threshold, config.targetFar(), calibratedOn);
    ModelManifest.Head head = new ModelManifest.Head(
        true,
        OnnxExporter.LEFT_INPUT,
        OnnxExporter.RIGHT_INPUT,
        OnnxExporter.PROBABILITY_OUTPUT,
        distanceHead
            ? String.format(
                Locale.ROOT,
                "distance head: p = σ(%.6g · d + %.6g), d = Σ_k (a_k − b_k)² (the decision's own distance),"
                    + " logistic fit on the calibration pairs",
                headChoice.distance().scale(), headChoice.distance().shift())
            : "learned head: p = σ(Σ_k w_k |a_k − b_k| + b), trained with binary cross-entropy"
                + (platt == null ? "" : ", Platt-scaled on validation pairs (w' = scale·w, b' = scale·b + shift)"));
    boolean triplet = config.loss() != TrainingConfig.LossKind.BINARY;
    Map<String, String> libraries = new LinkedHashMap<>();
    libraries.put("DJL", Engine.getDjlVersion());
    libraries.put("PyTorch", figures.pytorchVersion());
    libraries.put("ONNX Runtime", String.valueOf(OrtEnvironment.class.getPackage().getImplementationVersion()));
    libraries.put("Java", System.getProperty("java.version"));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("batchP", config.batchP());
    details.put("batchK", config.batchK());
    details.put("learningRate", Double.valueOf(Float.toString(config.learningRate())));
    details.put("learningRateSchedule", config.cosineDecay()
        ? "cosine to " + TrainingConfig.FINAL_LR_FRACTION + "× at the last step" : "constant");
    details.put("optimizer", config.weightDecay() > 0 ? "AdamW" : "Adam");
    if (config.weightDecay() > 0) {
      details.put("weightDecay", Double.valueOf(Float.toString(config.weightDecay())));
    }
    if (config.lrWarmupSteps() > 0) {
      details.put("learningRateWarmupSteps", config.lrWarmupSteps());
    }
    if (config.emaDecay() > 0) {
      details.put("weightAverage", "exponential moving average, decay " + config.emaDecay() + " (exported)");
    }
    if (config.cosFaceWeight() > 0) {
      details.put("cosFace", String.format(Locale.ROOT, "weight %s, scale %s, margin %s",
          config.cosFaceWeight(), config.cosFaceScale(), config.cosFaceMargin()));
    }
    details.put("tripletDistance", config.tripletDistance() == TrainingConfig.TripletDistance.EUCLIDEAN
        ? "euclidean" : "squared");
    if (!config.calibrationClasses().isEmpty()) {
      details.put("calibrationClasses", config.calibrationClasses());
    }
    if (headChoice != null) {
      details.put("head", headName(headChoice.kind()));
      details.put("distanceHeadScale", headChoice.distance().scale());
      details.put("distanceHeadShift", headChoice.distance().shift());
    }
    if (config.clipGradient() > 0) {
      details.put("clipGradient", Double.valueOf(Float.toString(config.clipGradient())));
    }
    if (triplet && config.warmupSteps() > 0) {
      details.put("semiHardWarmupSteps", config.warmupSteps());
    }
    if (config.loss() == TrainingConfig.LossKind.BOTH) {
      details.put("binaryWeight", config.binaryWeight());
    }
    details.put("augment", config.augment()
        ? (config.flip() ? "horizontal flip, " : "") + "shift ≤ " + config.augmentShift() + " px"
            + (config.erasing() > 0 ? ", random erasing p " + config.erasing() : "")
        : "none");
    details.put("trainImages", data.train().size());
    details.put("validationImages", data.validation().size());
    details.put("testImages", data.test().size());
    details.put("validationFraction", config.validationFraction());
    details.put("threads", config.threads());
    details.put("trainingSeconds", round(figures.trainingSeconds(), 1));
    details.put("imagesPerSecond", round(figures.imagesPerSecond(), 0));
    details.put("validationAucDjl", round(figures.validationAuc(), 5));
    if (config.validateEvery() > 0) {
      details.put("validateEvery", config.validateEvery());
      details.put("keepBest", config.keepBest());
    }
    details.put("shippedStep", figures.shippedStep());
    if (platt != null) {
      details.put("headPlattScale", platt.scale());
      details.put("headPlattShift", platt.shift());
    }
    ModelManifest.Provenance provenance = new ModelManifest.Provenance(
        data.datasetName(),
        data.heldOutClasses(),
        config.loss().manifestName(),
        triplet ? miningName(config.mining()) : null,
        triplet ? Double.valueOf(Float.toString(config.margin())) : null,
        config.steps(),
        config.seed(),
        network.spec().describe(),
        libraries,
        details);
    return new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        config.modelId(),
        config.modelVersion(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        data.input(),
        output,
        distance,
        decision,
        head,
        provenance,
        evaluation);
  }

  /** semi-hard, batch-hard or batch-all. */
  static String miningName(Mining mining) {
    return mining.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
