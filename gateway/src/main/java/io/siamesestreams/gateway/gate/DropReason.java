package io.siamesestreams.gateway.gate;

import java.util.Locale;

/**
 * Why the gateway did not send a frame (or, with face detection, a face). The metric tag and log
 * name is {@link #tag()} ({@code QUEUE_FULL} → {@code queue-full}).
 */
public enum DropReason {
  /** Above the {@code --fps} budget (counted per decoded frame). */
  FPS,
  /** Sharpness (variance of the Laplacian) below the camera's minimum: of the frame, or of the face box. */
  BLURRED,
  /** Face detection found no face in the frame (counted per frame). */
  NO_FACE,
  /** The face's shorter side is under {@code --min-face} pixels. */
  FACE_TOO_SMALL,
  /** The detector's score is under {@code --min-score}. */
  LOW_SCORE,
  /** A sharper shot of the same face track in the same best-shot interval was kept instead. */
  NOT_BEST_SHOT,
  /** The send queue was full (broker slow or down): the oldest queued frame gave way. */
  QUEUE_FULL,
  /** The producer failed to deliver it (e.g. delivery.timeout.ms passed with the broker down). */
  SEND_FAILED;

  /** Lower-case, dash-separated name used as the {@code reason} tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
