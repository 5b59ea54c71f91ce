package io.siamesestreams.topology;

import io.siamesestreams.identity.ThresholdOverrides;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of {@link SiameseTopology}, taken from the service's settings (defined, with their
 * defaults, in {@code io.siamesestreams.config.ServiceConfig}).
 *
 * @param topics topic names and serdes
 * @param batchSize frames per batch, at most; a full batch is embedded at once, in one ONNX Runtime call
 *     (a face model: every face of the batch's frames)
 * @param maxWait the longest a buffered frame waits (wall clock) before a partial batch is embedded
 * @param topK identify candidates per event
 * @param maxTemplatesPerIdentity templates kept per identity (the first decodable images)
 * @param maxRecordBytes frame and enrolment values larger than this are dead-lettered (RECORD_TOO_LARGE)
 * @param dedupeWindow a frame whose {@code frameId} was already seen on the same camera key within
 *     this window of record time is dead-lettered (DUPLICATE_FRAME_ID); {@link Duration#ZERO} turns
 *     de-duplication off
 * @param thresholds the deployment's and cameras' decision thresholds over the bundle's
 *     ({@link ThresholdOverrides}; checked against the model when the topology is built)
 */
public record TopologySettings(
    Topics topics, int batchSize, Duration maxWait, int topK, int maxTemplatesPerIdentity, int maxRecordBytes,
    Duration dedupeWindow, ThresholdOverrides thresholds) {

  public TopologySettings {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    Objects.requireNonNull(thresholds, "thresholds");
    if (dedupeWindow.isNegative()) {
      throw new IllegalArgumentException("dedupeWindow must not be negative, was " + dedupeWindow);
    }
    if (batchSize < 1 || topK < 1 || maxTemplatesPerIdentity < 1 || maxRecordBytes < 1 || maxWait.toMillis() < 1) {
      throw new IllegalArgumentException("batchSize, topK, maxTemplatesPerIdentity, maxRecordBytes must be >= 1"
          + " and maxWait >= 1 ms: " + batchSize + ", " + topK + ", " + maxTemplatesPerIdentity + ", "
          + maxRecordBytes + ", " + maxWait);
    }
  }

  /** Whether frames are de-duplicated by {@code frameId}. */
  public boolean deduplicates() {
    return !dedupeWindow.isZero();
  }
}
