package io.siamesestreams.trainer.data;

import java.util.Random;

/** Fisher–Yates shuffling of int arrays in place. */
final class Shuffle {
  private Shuffle() {}

  /** Moves {@code count} uniformly drawn distinct elements of {@code values} to its first positions. */
  static void partial(int[] values, int count, Random random) {
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(values.length - i);
      int tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }
}
