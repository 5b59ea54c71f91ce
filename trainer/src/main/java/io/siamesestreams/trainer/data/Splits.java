package io.siamesestreams.trainer.data;

import java.util.Arrays;
import java.util.Random;

/** Seeded splits of a {@link LabeledImages}. */
public final class Splits {
  private Splits() {}

  /** A training part and a validation part. */
  public record TrainValidation(LabeledImages train, LabeledImages validation) {}

  /**
   * Carves a stratified validation part (about {@code fraction} of each label's images) out of {@code images}.
   *
   * <p>Per label with n images, {@code round(fraction × n)} images go to validation, but at least one
   * when n ≥ 2 and fraction &gt; 0, at least two when n ≥ 4 (so small datasets still give
   * same-label validation pairs), and never all of them (a label with one image stays in training).
   * Which images go is drawn with {@code new Random(seed)}, labels in ascending order; both parts keep
   * the original image order. The same images, fraction and seed give the same split.
   *
   * @param fraction in [0, 1)
   */
  public static TrainValidation validation(LabeledImages images, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
    }
    Random random = new Random(seed);
    boolean[] toValidation = new boolean[images.size()];
    for (int[] members : images.indicesByLabel()) {
      int n = members.length;
      if (n < 2) {
        continue;
      }
      int take = (int) Math.round(fraction * n);
      if (fraction > 0) {
        take = Math.max(take, n >= 4 ? 2 : 1);
      }
      take = Math.min(take, n - 1);
      int[] shuffled = members.clone();
      Shuffle.partial(shuffled, take, random);
      for (int j = 0; j < take; j++) {
        toValidation[shuffled[j]] = true;
      }
    }
    int[] train = new int[images.size()];
    int[] validation = new int[images.size()];
    int nTrain = 0;
    int nValidation = 0;
    for (int i = 0; i < toValidation.length; i++) {
      if (toValidation[i]) {
        validation[nValidation++] = i;
      } else {
        train[nTrain++] = i;
      }
    }
    return new TrainValidation(
        images.subset(Arrays.copyOf(train, nTrain)), images.subset(Arrays.copyOf(validation, nValidation)));
  }
}
