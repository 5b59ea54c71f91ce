package io.siamesestreams.trainer.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Architecture of the CNN encoder: for each entry w of {@code convWidths} one stage of
 * {@code convsPerStage} × {@code conv(w, 3×3, pad 1) → [batch norm] → relu}, then
 * {@code maxpool(2×2, stride 2)}; then {@code flatten → fc(hiddenUnits) → relu → fc(embeddingDim) → L2
 * normalise}. {@code convWidths = [32, 64]} with {@code convsPerStage = 2} is the VGG-style
 * {@code [32,32]-pool-[64,64]-pool-fc}.
 *
 * @param channels input channels C (1 grey, 3 RGB)
 * @param height input rows H
 * @param width input columns W
 * @param convWidths filters of each convolution stage, in order; at least one
 * @param hiddenUnits units of the hidden fully connected layer
 * @param embeddingDim embedding size D
 * @param batchNorm whether each convolution is followed by batch normalisation
 * @param convsPerStage convolutions (each with its batch norm and relu) before each pooling; at least 1
 */
public record EncoderSpec(
    int channels,
    int height,
    int width,
    List<Integer> convWidths,
    int hiddenUnits,
    int embeddingDim,
    boolean batchNorm,
    int convsPerStage) {

  /** One convolution per stage (the original architecture). */
  public EncoderSpec(
      int channels, int height, int width, List<Integer> convWidths, int hiddenUnits, int embeddingDim,
      boolean batchNorm) {
    this(channels, height, width, convWidths, hiddenUnits, embeddingDim, batchNorm, 1);
  }

  public EncoderSpec {
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
    int h = height;
    int w = width;
    for (int i = 0; i < convWidths.size(); i++) {
      h /= 2;
      w /= 2;
    }
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException(
          height + "×" + width + " input is too small for " + convWidths.size() + " pooling stages");
    }
  }

  /** Rows after all pooling stages (each halves, rounding down). */
  public int finalHeight() {
    return height >> convWidths.size();
  }

  /** Columns after all pooling stages (each halves, rounding down). */
  public int finalWidth() {
    return width >> convWidths.size();
  }

  /** Features entering the hidden layer: last conv width × final height × final width. */
  public int flattenedSize() {
    return convWidths.get(convWidths.size() - 1) * finalHeight() * finalWidth();
  }

  /** The architecture in words, e.g. for the manifest's provenance. */
  public String describe() {
    String bn = batchNorm ? "-batchnorm" : "";
    String stages =
        convWidths.stream()
            .map(w -> String.join("-", java.util.Collections.nCopies(convsPerStage, "conv3x3(" + w + ",pad1)" + bn + "-relu"))
                + "-maxpool2")
            .collect(Collectors.joining(" → "));
    return "input " + channels + "×" + height + "×" + width + " → " + stages + " → flatten(" + flattenedSize()
        + ") → fc(" + hiddenUnits + ")-relu → fc(" + embeddingDim + ") → L2 normalise";
  }
}
