package io.siamesestreams.trainer.data;

/** Seeded splits of a {@link LabeledImages}. */
public final class Splits {
  private Splits() {}

  /** A training part and a validation part. */
  public record TrainValidation(LabeledImages train, LabeledImages validation) {}

  /**
   * Carves a stratified validation part (about {@code fraction} of each label's images) out of {@code images}.
   */
  public static TrainValidation validation(LabeledImages images, double fraction, long seed) {
    throw new UnsupportedOperationException("TODO");
  }
}
