package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.records.DeadLetters;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What travels between the processors of the frame path (record key: the frame's original key
 * bytes, the camera id). Records forwarded inside one sub-topology are never serialised, so these
 * are plain Java values; only the two sinks serialise ({@link #MATCH_EVENT_VALUES}, {@link
 * #DEAD_LETTER_VALUES}).
 */
public sealed interface FrameFlow {

  /**
   * A frame that passed validation, its image decoded once.
   *
   * @param frame the parsed frame
   * @param image its image as the model's {@link FrameEmbedder} decoded it
   * @param source the original record (bytes and source coordinates): what the batch buffer stores
   *     and what a later dead letter carries
   * @param headers the original record's headers (kept by a later dead letter), or null after a restore
   */
  record ValidFrame(Frame frame, FrameEmbedder.DecodedImage image, BufferedFrame source, Headers headers)
      implements FrameFlow {
    public ValidFrame {
      Objects.requireNonNull(frame, "frame");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * Frames of one task to embed together, in arrival order.
   *
   * @param startedNanos {@link System#nanoTime()} when the batch left the buffer (events' {@code
   *     processedAt} include the time since)
   */
  record FrameBatch(List<ValidFrame> frames, long startedNanos) implements FrameFlow {}

  /**
   * A batch after the encoder: frame {@code i}'s inputs are rows {@code firstRow[i]} …
   * {@code firstRow[i] + inputs.get(i).size() − 1} of {@code embeddings} ({@code rows × D}).
   */
  record EmbeddedBatch(List<ValidFrame> frames, List<List<FrameEmbedder.EncoderInput>> inputs, int[] firstRow,
      float[] embeddings, long startedNanos) implements FrameFlow {}

  /** A match event, on its way to {@code match-events}. */
  record FrameEvent(MatchEvent event) implements FrameFlow {}

  /**
   * A record that goes to {@code frames-dlq}: its original value bytes (the original key, timestamp and
   * the {@link DeadLetters} headers travel on the {@link Record} of {@link #record()}).
   */
  record DeadLetter(byte[] key, byte[] value, long timestamp, Headers headers) implements FrameFlow, EnrollmentFlow {

    /** The input record being processed as a dead letter, with reason and source headers. */
    public static DeadLetter of(ProcessorContext<?, ?> context, Record<byte[], byte[]> record, String reason,
        String detail) {
      RecordMetadata source = context.recordMetadata().orElse(null);
      return new DeadLetter(record.key(), record.value(), record.timestamp(),
          DeadLetters.headers(record.headers(), reason, detail, source == null ? null : source.topic(),
              source == null ? -1 : source.partition(), source == null ? -1 : source.offset()));
    }

    /**
     * A buffered or validated frame as a dead letter, with its source coordinates.
     *
     * @param originalHeaders the original record's headers, or null when they are not known (after a restore)
     */
    public static DeadLetter of(BufferedFrame frame, Headers originalHeaders, String reason, String detail) {
      return new DeadLetter(frame.key(), frame.value(), frame.timestamp(), DeadLetters.headers(originalHeaders,
          reason, detail, frame.sourceTopic(), frame.sourcePartition(), frame.sourceOffset()));
    }

    /** {@code frame} as a dead letter. */
    public static DeadLetter of(ValidFrame frame, String reason, String detail) {
      return of(frame.source(), frame.headers(), reason, detail);
    }

    /** The record to forward to the dead-letter sink. */
    public Record<byte[], FrameFlow> record() {
      return new Record<>(key, this, timestamp, headers);
    }
  }

  /** The match-events sink's value serializer: the event's JSON. */
  Serializer<FrameFlow> MATCH_EVENT_VALUES =
      (topic, flow) -> Topics.MATCH_EVENT_SERDE.serializer().serialize(topic, ((FrameEvent) flow).event());

  /**
   * The dead-letter sink's value serializer: the original value bytes, unchanged (the sink also takes
   * the enroller's dead letters, the same {@link DeadLetter} type).
   */
  Serializer<DeadLetter> DEAD_LETTER_VALUES = (topic, deadLetter) -> deadLetter.value();
}
