package io.siamesestreams.trainer.loss;

/** How triplets are chosen from a P×K batch. */
public enum Mining {
  /**
   * FaceNet semi-hard: for each anchor-positive pair, the closest negative that is farther than the
   * positive; if none, the farthest negative.
   */
  SEMI_HARD,
  /** For each anchor: its farthest positive and closest negative. */
  BATCH_HARD,
  /** Every valid (anchor, positive, negative); the loss averages over triplets with a positive loss. */
  BATCH_ALL
}
