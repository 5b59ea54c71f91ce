package io.siamesestreams.events;


/** The outcome of a match. */
public enum Decision {
  /** {@code distance <= threshold}: the same identity. */
  MATCH,
  /** {@code distance > threshold}, or an empty gallery for IDENTIFY. */
  NO_MATCH,
  /** VERIFY of a claimed identity that is not enrolled for this model version. */
  UNKNOWN_IDENTITY,
  /**
   * Face models only: the detector found no face in the frame (nothing was embedded or compared;
   * one such event per frame, with {@code faceCount} 0).
   */
  NO_FACE
}
