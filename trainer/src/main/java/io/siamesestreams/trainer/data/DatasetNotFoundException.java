package io.siamesestreams.trainer.data;

/** A dataset's files are missing; the message says where they were looked for and how to get them. */
public final class DatasetNotFoundException extends RuntimeException {
  public DatasetNotFoundException(String message) {
    super(message);
  }
}
