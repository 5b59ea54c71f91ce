package io.siamesestreams.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The contract between the trainer and the service: the content of a bundle's {@code model.json}.
 *
 * <p>A model bundle is a directory holding {@code model.json}, the encoder ({@code encoder.onnx})
 * and, when {@link Head#present()}, the same/different head ({@code head.onnx}). Load and validate
 * one with {@link ModelBundle#load(java.nio.file.Path)}; never read this record from JSON directly.
 *
 * @param formatVersion version of this manifest format; currently {@value #FORMAT_VERSION}
 * @param modelId stable name of the model family, e.g. {@code fashion-mnist-siamese}
 * @param modelVersion version of these weights; templates embedded by another version are never compared
 * @param createdAt when the bundle was written (UTC)
 * @param input how an image becomes the encoder's input tensor
 * @param output the encoder's embedding output
 * @param distance how two embeddings are compared
 * @param decision the threshold that turns a distance into MATCH / NO_MATCH
 * @param head the optional learned same/different head giving a probability
 * @param provenance how the weights were produced
 * @param evaluation evaluation figures (the keys of {@code eval.json}), may be empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
    int formatVersion,
    String modelId,
    String modelVersion,
    Instant createdAt,
    Input input,
    Output output,
    Distance distance,
    Decision decision,
    Head head,
    Provenance provenance,
    Map<String, Double> evaluation) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "model.json";
  public static final String ENCODER_FILE = "encoder.onnx";
  public static final String HEAD_FILE = "head.onnx";

  /** Channel order of the encoder input. */
  public enum ColorMode {
    /** One channel, luminance. */
    GRAY,
    /** Three channels in R, G, B order. */
    RGB
  }

  /** How a decoded image of another size is brought to {@code height × width}. */
  public enum ResizePolicy {
    /** The image must already be {@code height × width}; anything else is rejected. */
    EXACT,
    /** Bilinear resize to {@code height × width}, ignoring aspect ratio. */
    STRETCH
  }

  /** Memory layout of the input tensor; only NCHW is supported. */
  public enum Layout {
    NCHW
  }

  /** Distance between two embeddings a and b of dimension D. */
  public enum Metric {
    /** {@code d = Σ_k (a_k − b_k)²}, in squared embedding units. */
    SQUARED_L2,
    /** {@code d = sqrt(Σ_k (a_k − b_k)²)}. */
    L2
  }

  /**
   * The encoder input.
   *
   * <p>Pixel values p in [0, 255] become {@code x = (p / 255 − mean[c]) / std[c]} per channel c.
   *
   * @param tensorName name of the ONNX input, checked against {@code encoder.onnx}
   * @param layout tensor layout, {@code NCHW} with a symbolic batch dimension N
   * @param channels 1 for GRAY, 3 for RGB
   * @param height rows H
   * @param width columns W
   * @param colorMode GRAY or RGB
   * @param resize what to do with images of another size
   * @param mean per-channel mean on the [0, 1] scale, length {@code channels}
   * @param std per-channel standard deviation on the [0, 1] scale, length {@code channels}, all &gt; 0
   */
  public record Input(
      String tensorName,
      Layout layout,
      int channels,
      int height,
      int width,
      ColorMode colorMode,
      ResizePolicy resize,
      float[] mean,
      float[] std) {}

  /**
   * The encoder output.
   *
   * @param tensorName name of the ONNX output, checked against {@code encoder.onnx}
   * @param dimension embedding size D; the output shape is [N, D]
   * @param l2Normalized whether each embedding has unit L2 norm
   */
  public record Output(String tensorName, int dimension, boolean l2Normalized) {}

  /**
   * @param metric the distance function
   * @param formula the formula in words, for people reading the file
   */
  public record Distance(Metric metric, String formula) {}

  /**
   * @param threshold MATCH when {@code distance <= threshold} (in the units of {@link Distance#metric()})
   * @param targetFalseAcceptRate the false-accept rate the threshold was calibrated at, e.g. 0.01
   * @param calibratedOn which pairs the calibration used, in words
   * @param calibration optional: the provenance of a threshold set by {@code siamese calibrate} on a
   *     user's labelled photos; absent (null) in bundles written before it existed or never calibrated
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decision(double threshold, double targetFalseAcceptRate, String calibratedOn, Calibration calibration) {

    /** A decision without calibration provenance. */
    public Decision(double threshold, double targetFalseAcceptRate, String calibratedOn) {
      this(threshold, targetFalseAcceptRate, calibratedOn, null);
    }
  }

  /**
   * How {@code siamese calibrate} set a bundle's threshold: every pair of the photos of a folder with
   * one sub-folder per person; genuine pairs are two photos of one person, impostor pairs photos of
   * two people. The threshold is the largest one whose false-accept rate on the impostor pairs is at
   * most the target ({@link Decision#targetFalseAcceptRate()}).
   *
   * @param data the folder of photos, as given on the command line
   * @param people persons (sub-folders) with at least one usable photo
   * @param photos photos used (one face each for face models)
   * @param photosSkipped photos not used (unreadable, or no face found), not in {@code photos}
   * @param genuinePairs same-person pairs
   * @param impostorPairs different-person pairs
   * @param falseAcceptRate FAR on the impostor pairs at the new threshold
   * @param falseRejectRate FRR on the genuine pairs at the new threshold
   * @param previousThreshold the threshold before this calibration
   * @param calibratedAt when (UTC)
   */
  public record Calibration(
      String data,
      int people,
      int photos,
      int photosSkipped,
      long genuinePairs,
      long impostorPairs,
      double falseAcceptRate,
      double falseRejectRate,
      double previousThreshold,
      Instant calibratedAt) {}

  /**
   * The same/different head: {@code p = σ(Σ_k w_k |a_k − b_k| + b)} over two embeddings a, b.
   *
   * @param present whether {@code head.onnx} ships in the bundle
   * @param leftInput name of the ONNX input for a, shape [N, D]
   * @param rightInput name of the ONNX input for b, shape [N, D]
   * @param output name of the ONNX output p, shape [N, 1], probability that a and b are the same identity
   * @param formula the formula in words
   */
  public record Head(boolean present, String leftInput, String rightInput, String output, String formula) {}

  /**
   * How the weights were produced.
   *
   * @param dataset dataset name, e.g. {@code fashion-mnist} or the image folder
   * @param heldOutClasses classes or identities kept out of training entirely (open-set evaluation)
   * @param loss {@code triplet}, {@code binary} or {@code triplet+binary}
   * @param mining triplet mining: {@code semi-hard}, {@code batch-hard}, {@code batch-all} or null
   * @param margin triplet margin α on squared L2 distances
   * @param steps optimiser steps
   * @param seed random seed
   * @param architecture encoder architecture in words (layers, widths)
   * @param libraries library name → version used to train and export
   * @param details any further settings (batch shape, learning rate, timings), free-form
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Provenance(
      String dataset,
      List<String> heldOutClasses,
      String loss,
      String mining,
      Double margin,
      Integer steps,
      Long seed,
      String architecture,
      Map<String, String> libraries,
      Map<String, Object> details) {}
}
