package io.siamesestreams.topology;

import io.siamesestreams.frames.DecodedFrameHandoff;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.records.DeadLetters;
import java.nio.FloatBuffer;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * First step of the frame path: validates each raw {@code frames} record with a
 * {@link FrameDecoder} and, when de-duplication is on, drops repeated frame ids. A valid record
 * goes on unchanged (raw bytes) to the node named {@code validNode}; an invalid or repeated one
 * goes to {@code deadLetterNode} with its original bytes and reason headers ({@link DeadLetters}).
 *
 * <p>De-duplication: the window store {@link Topics#FRAME_IDS_STORE} remembers each valid frame's
 * id at its record timestamp; a frame whose id was seen within {@code dedupeWindow} (either side
 * of its timestamp) is a DUPLICATE_FRAME_ID. Frames are keyed by camera, so a gateway that resends
 * a frame with the same key reaches the same task; the same id on two cameras is not caught.
 *
 * <p>With {@code handOffDecoded}, a valid frame's parsed fields and preprocessed pixels are left in
 * {@link DecodedFrameHandoff} for the child (the batcher), which then does not decode it again.
 */
public final class FrameValidationProcessor implements Processor<byte[], byte[], byte[], byte[]> {

  private final FrameDecoder decoder;
  private final ImagePreprocessor preprocessor;
  private final boolean handOffDecoded;
  private final long dedupeWindowMs;
  private final String validNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<byte[], byte[]> context;
  private WindowStore<String, Long> seenFrameIds;

  /**
   * @param dedupeWindow {@link Duration#ZERO} for no de-duplication; otherwise the processor needs
   *     the window store {@link Topics#FRAME_IDS_STORE}
   */
  public FrameValidationProcessor(ImagePreprocessor preprocessor, int maxRecordBytes, Duration dedupeWindow,
      String validNode, String deadLetterNode) {
    this(preprocessor, maxRecordBytes, dedupeWindow, validNode, deadLetterNode, ServiceMetrics.disabled());
  }

  /** As above, counting consumed and dead-lettered frames in {@code metrics}. */
  public FrameValidationProcessor(ImagePreprocessor preprocessor, int maxRecordBytes, Duration dedupeWindow,
      String validNode, String deadLetterNode, ServiceMetrics metrics) {
    this(preprocessor, maxRecordBytes, dedupeWindow, validNode, deadLetterNode, metrics, false);
  }

  /**
   * As above; with {@code handOffDecoded} each valid frame forwarded is also offered, decoded, to
   * the child through {@link DecodedFrameHandoff}.
   */
  public FrameValidationProcessor(ImagePreprocessor preprocessor, int maxRecordBytes, Duration dedupeWindow,
      String validNode, String deadLetterNode, ServiceMetrics metrics, boolean handOffDecoded) {
    this.metrics = metrics;
    this.decoder = new FrameDecoder(preprocessor, maxRecordBytes);
    this.preprocessor = preprocessor;
    this.handOffDecoded = handOffDecoded;
    this.dedupeWindowMs = dedupeWindow.toMillis();
    this.validNode = validNode;
    this.deadLetterNode = deadLetterNode;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    if (dedupeWindowMs > 0) {
      seenFrameIds = context.getStateStore(Topics.FRAME_IDS_STORE);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.frameConsumed();
    float[] pixels = handOffDecoded ? new float[preprocessor.floatsPerImage()] : null;
    FrameDecoder.Result result = pixels == null
        ? decoder.decode(record.key(), record.value())
        : decoder.decode(record.key(), record.value(), FloatBuffer.wrap(pixels));
    if (result instanceof FrameDecoder.Invalid invalid) {
      metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, invalid.reason());
      context.forward(deadLetter(context, record, invalid.reason(), invalid.detail()), deadLetterNode);
      return;
    }
    FrameDecoder.Valid valid = (FrameDecoder.Valid) result;
    if (seenFrameIds != null) {
      String frameId = valid.frame().frameId();
      Long firstOffset = firstSighting(frameId, record.timestamp());
      if (firstOffset != null) {
        metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, DeadLetters.DUPLICATE_FRAME_ID);
        context.forward(deadLetter(context, record, DeadLetters.DUPLICATE_FRAME_ID, "frame id " + frameId
            + " was already processed (source offset " + firstOffset + ")"), deadLetterNode);
        return;
      }
      seenFrameIds.put(frameId, context.recordMetadata().map(RecordMetadata::offset).orElse(-1L),
          record.timestamp());
    }
    if (pixels != null) {
      DecodedFrameHandoff.offer(record.value(), new DecodedFrameHandoff.Decoded(valid.frame(), pixels));
    }
    context.forward(record, validNode);
  }

  /** The source offset of an earlier frame with this id within the window, or null. */
  private Long firstSighting(String frameId, long timestamp) {
    try (WindowStoreIterator<Long> seen =
        seenFrameIds.fetch(frameId, timestamp - dedupeWindowMs, timestamp + dedupeWindowMs)) {
      return seen.hasNext() ? seen.next().value : null;
    }
  }

  /** {@code record} as a dead letter: same key, value and timestamp; reason and source headers added. */
  static Record<byte[], byte[]> deadLetter(ProcessorContext<?, ?> context, Record<byte[], byte[]> record,
      String reason, String detail) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    return new Record<>(record.key(), record.value(), record.timestamp(),
        DeadLetters.headers(record.headers(), reason, detail, source == null ? null : source.topic(),
            source == null ? -1 : source.partition(), source == null ? -1 : source.offset()));
  }
}
