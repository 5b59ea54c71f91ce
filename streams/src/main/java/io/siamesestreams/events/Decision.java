package io.siamesestreams.events;

/** The outcome of a match. */
public enum Decision {
  /** {@code distance <= threshold}: the same identity. */
  MATCH,
  /** {@code distance > threshold}, or an empty gallery for IDENTIFY. */
  NO_MATCH,
  /** VERIFY of a claimed identity that is not enrolled for this model version. */
  UNKNOWN_IDENTITY
}
