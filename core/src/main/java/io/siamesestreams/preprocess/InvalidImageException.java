package io.siamesestreams.preprocess;

/** An image that cannot become an encoder input; {@link #reason()} is a stable code for dead letters. */
public final class InvalidImageException extends Exception {

  /** Stable reason codes (used as dead-letter reasons and metric tags). */
  public enum Reason {
    /** Zero bytes. */
    EMPTY_IMAGE,
    /** More encoded bytes than the configured limit. */
    IMAGE_TOO_LARGE,
    /** Not a PNG or JPEG, or truncated / corrupt. */
    UNDECODABLE_IMAGE,
    /** Declared width × height above the configured pixel limit (decompression bomb). */
    IMAGE_DIMENSIONS_TOO_LARGE,
    /** Size differs from the manifest and the resize policy is EXACT. */
    WRONG_IMAGE_SIZE,
    /** Channel count that cannot be converted to the manifest's colour mode. */
    WRONG_CHANNEL_COUNT
  }

  private final Reason reason;

  public InvalidImageException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidImageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
