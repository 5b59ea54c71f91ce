package io.siamesestreams.topology;

import io.siamesestreams.identity.ThresholdOverrides;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of {@link SiameseTopology}.
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

  /** Default de-duplication window: 10 minutes of record time. */
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofMinutes(10);

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

  /**
   * Default topics, batches of 32 or 20 ms, top-5, 100 templates per identity, 1 MiB records,
   * de-duplication over 10 minutes, the bundle's threshold.
   */
  public static TopologySettings defaults() {
    return new TopologySettings(Topics.defaults(), 32, Duration.ofMillis(20), 5, 100, 1024 * 1024,
        DEFAULT_DEDUPE_WINDOW, ThresholdOverrides.none());
  }

  /** Whether frames are de-duplicated by {@code frameId}. */
  public boolean deduplicates() {
    return !dedupeWindow.isZero();
  }

  public TopologySettings withDedupeWindow(Duration window) {
    return new TopologySettings(topics, batchSize, maxWait, topK, maxTemplatesPerIdentity, maxRecordBytes, window,
        thresholds);
  }

  public TopologySettings withBatching(int size, Duration wait) {
    return new TopologySettings(topics, size, wait, topK, maxTemplatesPerIdentity, maxRecordBytes, dedupeWindow,
        thresholds);
  }

  public TopologySettings withTopics(Topics newTopics) {
    return new TopologySettings(newTopics, batchSize, maxWait, topK, maxTemplatesPerIdentity, maxRecordBytes,
        dedupeWindow, thresholds);
  }

  public TopologySettings withTopK(int k) {
    return new TopologySettings(topics, batchSize, maxWait, k, maxTemplatesPerIdentity, maxRecordBytes, dedupeWindow,
        thresholds);
  }

  public TopologySettings withMaxTemplatesPerIdentity(int max) {
    return new TopologySettings(topics, batchSize, maxWait, topK, max, maxRecordBytes, dedupeWindow,
        thresholds);
  }

  public TopologySettings withMaxRecordBytes(int max) {
    return new TopologySettings(topics, batchSize, maxWait, topK, maxTemplatesPerIdentity, max, dedupeWindow,
        thresholds);
  }

  /** Threshold overrides of the deployment and its cameras. */
  public TopologySettings withThresholds(ThresholdOverrides overrides) {
    return new TopologySettings(topics, batchSize, maxWait, topK, maxTemplatesPerIdentity, maxRecordBytes,
        dedupeWindow, overrides);
  }
}
