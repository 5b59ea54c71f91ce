package io.siamesestreams.gateway.source;

import java.io.IOException;

/**
 * A camera's pictures: opened, read until it ends or fails, closed; opened again after a failure when
 * {@link #live()}.
 *
 * <p>Not thread-safe: one camera worker opens, reads and closes it.
 */
public interface FrameSource extends AutoCloseable {

  /** Connects or opens the file; throws with a message fit for the log when it cannot. */
  void open() throws IOException;

  /** The next picture, or null at the end of a file or folder; throws when the stream breaks. */
  CapturedFrame next() throws IOException;

  /**
   * Whether this is a live stream (network stream or device): sampled on the wall clock, retried
   * with backoff when it drops. Files and folders are sampled on their media time and end.
   */
  boolean live();

  /** What the logs call it (URLs without credentials). */
  String description();

  @Override
  void close();
}
