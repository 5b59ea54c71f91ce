package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.DecodedFrameHandoff;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.identity.GalleryMatcher;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.records.DeadLetters;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers validated frames of one task and embeds them in batches: when {@code batchSize} frames
 * are buffered, or when the oldest has waited {@code maxWait} (checked by a wall-clock punctuator
 * every {@code maxWait / 2}), the buffered frames are decoded into one tensor, embedded by the
 * encoder in one ONNX Runtime call, matched ({@link GalleryMatcher}) and forwarded as match events
 * to {@code eventsNode}, with the frame's record timestamp.
 *
 * <p>The buffer is the persistent, changelogged, cached store {@link Topics#FRAME_BUFFER_STORE},
 * keyed by a per-task sequence number (big-endian, so {@code range} returns arrival order). Under
 * exactly-once a frame's buffering, its event and its removal from the buffer commit atomically
 * with the input offset, so a crash loses or duplicates nothing: restored frames are flushed at
 * the next punctuation. A frame that fails to decode at flush time (it passed validation, so this
 * is not expected) is dead-lettered to {@code deadLetterNode} with its original bytes and removed
 * from the buffer. Everything runs on the stream thread: a batch's events are forwarded, and its
 * frames deleted from the buffer, in the same step.
 *
 * <p>A frame the validator has already decoded ({@link DecodedFrameHandoff}) keeps its decoded
 * pixels in memory beside the store until its flush, so it is decoded once; frames restored from
 * the changelog (or arriving without a hand-off) are decoded from their stored bytes at flush.
 */
public final class FrameBatchProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger log = LoggerFactory.getLogger(FrameBatchProcessor.class);

  private final LoadedModel model;
  private final GalleryMatcher matcher;
  private final int batchSize;
  private final long maxWaitMs;
  private final String eventsNode;
  private final String deadLetterNode;
  private final FrameDecoder decoder;
  private final FloatBuffer batchImages;
  private final ServiceMetrics metrics;
  /** Frames decoded by the validator, by buffer sequence (a cache of the store's raw frames). */
  private final Map<Long, DecodedFrameHandoff.Decoded> decodedBySequence = new HashMap<>();

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, BufferedFrame> buffer;
  private long nextSequence;
  private long oldestSequence;
  private int buffered;
  private long oldestBufferedAtMs;

  public FrameBatchProcessor(LoadedModel model, GalleryMatcher matcher, int batchSize, Duration maxWait,
      int maxRecordBytes, String eventsNode, String deadLetterNode) {
    this(model, matcher, batchSize, maxWait, maxRecordBytes, eventsNode, deadLetterNode, ServiceMetrics.disabled());
  }

  /** As above, recording batches, match events and dead letters in {@code metrics}. */
  public FrameBatchProcessor(LoadedModel model, GalleryMatcher matcher, int batchSize, Duration maxWait,
      int maxRecordBytes, String eventsNode, String deadLetterNode, ServiceMetrics metrics) {
    this.metrics = metrics;
    this.model = model;
    this.matcher = matcher;
    this.batchSize = batchSize;
    this.maxWaitMs = maxWait.toMillis();
    this.eventsNode = eventsNode;
    this.deadLetterNode = deadLetterNode;
    this.decoder = new FrameDecoder(model.encoder().preprocessor(), maxRecordBytes);
    this.batchImages = model.encoder().preprocessor().allocate(batchSize);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(Topics.FRAME_BUFFER_STORE);
    // A re-initialised task (after a dirty close) starts from the store alone.
    decodedBySequence.clear();
    recoverSequence();
    if (buffered > 0) {
      log.info("task {}: {} buffered frames restored, flushing at the next punctuation", context.taskId(), buffered);
      // Restored frames have waited already; the next punctuation flushes them.
      oldestBufferedAtMs = context.currentSystemTimeMs() - maxWaitMs;
    }
    context.schedule(Duration.ofMillis(Math.max(1, maxWaitMs / 2)), PunctuationType.WALL_CLOCK_TIME,
        this::flushIfWaitedTooLong);
  }

  /** Finds the sequence range left in the store (only at start; the buffer is small). */
  private void recoverSequence() {
    long min = Long.MAX_VALUE;
    long max = -1;
    int count = 0;
    try (KeyValueIterator<Long, BufferedFrame> all = buffer.all()) {
      while (all.hasNext()) {
        long key = all.next().key;
        min = Math.min(min, key);
        max = Math.max(max, key);
        count++;
      }
    }
    buffered = count;
    oldestSequence = count == 0 ? 0 : min;
    nextSequence = max + 1;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    BufferedFrame frame = new BufferedFrame(record.key(), record.value(), record.timestamp(),
        source == null ? null : source.topic(), source == null ? -1 : source.partition(),
        source == null ? -1 : source.offset());
    if (buffered == 0) {
      oldestSequence = nextSequence;
      oldestBufferedAtMs = context.currentSystemTimeMs();
    }
    DecodedFrameHandoff.Decoded decoded = DecodedFrameHandoff.take(record.value());
    if (decoded != null) {
      decodedBySequence.put(nextSequence, decoded);
    } else {
      decodedBySequence.remove(nextSequence);
    }
    buffer.put(nextSequence++, frame);
    buffered++;
    if (buffered >= batchSize) {
      flush();
    }
  }

  private void flushIfWaitedTooLong(long nowMs) {
    if (buffered > 0 && nowMs - oldestBufferedAtMs >= maxWaitMs) {
      flush();
    }
  }

  /**
   * Embeds and matches everything buffered, in batches of at most {@code batchSize}, forwarding
   * each batch's events and deleting its frames from the buffer before the next batch.
   */
  void flush() {
    while (buffered > 0) {
      List<KeyValue<Long, BufferedFrame>> batch = new ArrayList<>(batchSize);
      try (KeyValueIterator<Long, BufferedFrame> range = buffer.range(oldestSequence, nextSequence - 1)) {
        while (range.hasNext() && batch.size() < batchSize) {
          batch.add(range.next());
        }
      }
      if (batch.isEmpty()) {
        log.warn("task {}: buffer count {} but no frames in range [{}, {}]; resetting", context.taskId(), buffered,
            oldestSequence, nextSequence - 1);
        buffered = 0;
        decodedBySequence.clear();
        return;
      }
      buffered -= batch.size();
      oldestSequence = batch.get(batch.size() - 1).key + 1;
      Prepared prepared = prepare(batch);
      if (prepared.frames().isEmpty()) {
        continue;
      }
      forwardEvents(prepared, embedAndMatch(prepared));
    }
  }

  /** A batch decoded into the image buffer: its frames, their store keys and buffered records, in order. */
  private record Prepared(List<Frame> frames, List<Long> keys, List<BufferedFrame> sources) {}

  /**
   * Decodes the batch's frames (or takes the validator's decoded pixels) into the image buffer; a
   * frame that no longer decodes is dead-lettered and removed from the buffer at once.
   */
  private Prepared prepare(List<KeyValue<Long, BufferedFrame>> batch) {
    batchImages.clear();
    List<Frame> frames = new ArrayList<>(batch.size());
    List<Long> keys = new ArrayList<>(batch.size());
    List<BufferedFrame> sources = new ArrayList<>(batch.size());
    for (KeyValue<Long, BufferedFrame> entry : batch) {
      BufferedFrame buffered = entry.value;
      DecodedFrameHandoff.Decoded decoded = decodedBySequence.remove(entry.key);
      if (decoded != null) {
        batchImages.put(decoded.pixels());
        frames.add(decoded.frame());
        keys.add(entry.key);
        sources.add(buffered);
        continue;
      }
      FrameDecoder.Result result = decoder.decode(buffered.key(), buffered.value(), batchImages);
      if (result instanceof FrameDecoder.Valid valid) {
        frames.add(valid.frame());
        keys.add(entry.key);
        sources.add(buffered);
      } else {
        FrameDecoder.Invalid invalid = (FrameDecoder.Invalid) result;
        metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, invalid.reason());
        context.forward(new Record<Object, Object>(buffered.key(), buffered.value(), buffered.timestamp(),
            DeadLetters.headers(null, invalid.reason(), invalid.detail(), buffered.sourceTopic(),
                buffered.sourcePartition(), buffered.sourceOffset())), deadLetterNode);
        buffer.delete(entry.key);
      }
    }
    batchImages.flip();
    return new Prepared(frames, keys, sources);
  }

  /** Embeds the prepared batch's images in one ONNX Runtime call and matches them. */
  private List<MatchEvent> embedAndMatch(Prepared batch) {
    long embedStart = System.nanoTime();
    float[] embeddings = model.encoder().embed(batchImages, batch.frames().size());
    metrics.batchEmbedded(batch.frames().size(), System.nanoTime() - embedStart);
    return matcher.match(batch.frames(), embeddings, context.currentSystemTimeMs());
  }

  /** Forwards a batch's events and removes its frames from the buffer (one step, so one transaction). */
  private void forwardEvents(Prepared batch, List<MatchEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      BufferedFrame source = batch.sources().get(i);
      String cameraKey = new String(source.key(), java.nio.charset.StandardCharsets.UTF_8);
      metrics.matchEvent(events.get(i));
      context.forward(new Record<Object, Object>(cameraKey, events.get(i), source.timestamp()), eventsNode);
    }
    for (Long key : batch.keys()) {
      buffer.delete(key);
    }
  }
}
