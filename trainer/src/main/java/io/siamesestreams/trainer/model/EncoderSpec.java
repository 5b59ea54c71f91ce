package io.siamesestreams.trainer.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Architecture of the CNN encoder, one of two {@link Architecture}s.
 *
 * <ul>
 *   <li>{@link Architecture#VGG}: for each entry w of {@code convWidths} one stage of {@code convsPerStage} ×
 *       {@code conv(w, 3×3, pad 1) → [batch norm] → relu}, then {@code maxpool(2×2, stride 2)}; then {@code
 *       flatten}. {@code convWidths = [32, 64]} with {@code convsPerStage = 2} is the VGG-style {@code
 *       [32,32]-pool-[64,64]-pool-fc}.
 *   <li>{@link Architecture#RESNET}: a stem {@code conv(w₀, 3×3) → batch norm → relu}, then for each entry w of
 *       {@code convWidths} one stage of {@code convsPerStage} basic residual units {@code relu(x' + F(x))} with
 *       {@code F = conv(w, 3×3, stride s) → bn → relu → conv(w, 3×3) → bn}; s = 2 in the first unit of every stage
 *       but the first (each halves the rows and columns, rounding up), where the shortcut x' is {@code conv(w,
 *       1×1, stride s) → bn}, elsewhere x' = x; then a global average pool over the rows and columns. {@code
 *       convWidths = [16, 32, 64]} with {@code convsPerStage = 3} is ResNet-20's feature extractor (He et al.
 *       2016, §4.2). Batch norm is required.
 * </ul>
 *
 * Both continue {@code → fc(hiddenUnits) → relu → fc(embeddingDim) → L2 normalise}.
 *
 * @param channels input channels C (1 grey, 3 RGB)
 * @param height input rows H
 * @param width input columns W
 * @param convWidths filters of each convolution stage, in order; at least one
 * @param hiddenUnits units of the hidden fully connected layer
 * @param embeddingDim embedding size D
 * @param batchNorm whether each convolution is followed by batch normalisation
 * @param convsPerStage VGG: convolutions (each with its batch norm and relu) before each pooling; ResNet: residual
 *     units per stage; at least 1
 * @param architecture plain convolution stacks with pooling, or residual units
 */
public record EncoderSpec(
    int channels,
    int height,
    int width,
    List<Integer> convWidths,
    int hiddenUnits,
    int embeddingDim,
    boolean batchNorm,
    int convsPerStage,
    Architecture architecture) {

  /** How the convolution stages are built. */
  public enum Architecture {
    /** Stacks of 3×3 convolutions, each stage ending in a 2×2 max pool, then flatten. */
    VGG,
    /** Basic residual units, strided convolutions between stages, then a global average pool. */
    RESNET
  }

  /** One convolution per stage (the original architecture). */
  public EncoderSpec(
      int channels, int height, int width, List<Integer> convWidths, int hiddenUnits, int embeddingDim,
      boolean batchNorm) {
    this(channels, height, width, convWidths, hiddenUnits, embeddingDim, batchNorm, 1);
  }

  /** A VGG-style encoder with {@code convsPerStage} convolutions per stage. */
  public EncoderSpec(
      int channels, int height, int width, List<Integer> convWidths, int hiddenUnits, int embeddingDim,
      boolean batchNorm, int convsPerStage) {
    this(channels, height, width, convWidths, hiddenUnits, embeddingDim, batchNorm, convsPerStage, Architecture.VGG);
  }

  public EncoderSpec {
    java.util.Objects.requireNonNull(architecture, "architecture");
    if (architecture == Architecture.RESNET && !batchNorm) {
      throw new IllegalArgumentException("the resnet architecture needs batch normalisation");
    }
    if (convsPerStage < 1) {
      throw new IllegalArgumentException("convsPerStage must be at least 1, was " + convsPerStage);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
    }
    convWidths = List.copyOf(convWidths);
    if (convWidths.isEmpty() || convWidths.stream().anyMatch(w -> w <= 0)) {
      throw new IllegalArgumentException("convWidths must be positive and non-empty, was " + convWidths);
    }
    if (hiddenUnits <= 0 || embeddingDim <= 0) {
      throw new IllegalArgumentException("hiddenUnits and embeddingDim must be positive");
    }
    if (architecture == Architecture.VGG && ((height >> convWidths.size()) < 1 || (width >> convWidths.size()) < 1)) {
      throw new IllegalArgumentException(
          height + "×" + width + " input is too small for " + convWidths.size() + " pooling stages");
    }
  }

  /** VGG: rows after all pooling stages (each halves, rounding down); ResNet: rows of the last stage. */
  public int finalHeight() {
    return architecture == Architecture.VGG ? height >> convWidths.size() : stridedSize(height);
  }

  /** VGG: columns after all pooling stages (each halves, rounding down); ResNet: columns of the last stage. */
  public int finalWidth() {
    return architecture == Architecture.VGG ? width >> convWidths.size() : stridedSize(width);
  }

  private int stridedSize(int size) {
    for (int stage = 1; stage < convWidths.size(); stage++) {
      size = (size + 1) / 2;
    }
    return size;
  }

  /**
   * Features entering the hidden layer: VGG last conv width × final height × final width; ResNet the last width
   * (the global average pool leaves one value per channel).
   */
  public int flattenedSize() {
    int last = convWidths.get(convWidths.size() - 1);
    return architecture == Architecture.VGG ? last * finalHeight() * finalWidth() : last;
  }

  /** The architecture in words, e.g. for the manifest's provenance. */
  public String describe() {
    String input = "input " + channels + "×" + height + "×" + width + " → ";
    String fc = " → fc(" + hiddenUnits + ")-relu → fc(" + embeddingDim + ") → L2 normalise";
    if (architecture == Architecture.RESNET) {
      String stages =
          convWidths.stream()
              .map(w -> convsPerStage + "×residual(conv3x3(" + w + ")-batchnorm-relu-conv3x3(" + w + ")-batchnorm)")
              .collect(Collectors.joining(" → "));
      return input + "conv3x3(" + convWidths.get(0) + ")-batchnorm-relu → " + stages + " (stride 2 between stages)"
          + " → global average pool(" + flattenedSize() + ")" + fc;
    }
    String bn = batchNorm ? "-batchnorm" : "";
    String stages =
        convWidths.stream()
            .map(w -> String.join("-", java.util.Collections.nCopies(convsPerStage, "conv3x3(" + w + ",pad1)" + bn + "-relu"))
                + "-maxpool2")
            .collect(Collectors.joining(" → "));
    return input + stages + " → flatten(" + flattenedSize() + ")" + fc;
  }
}
