package io.siamesestreams.topology;

import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.FrameFlow.DeadLetter;
import io.siamesestreams.topology.FrameFlow.FrameBatch;
import io.siamesestreams.topology.FrameFlow.ValidFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers validated frames of one task and releases them in batches: when {@code batchSize} frames
 * are buffered, or when the oldest has waited {@code maxWait} (checked by a wall-clock punctuator
 * every {@code maxWait / 2}), the buffered frames go on, oldest first and at most {@code batchSize}
 * at a time, as one {@link FrameBatch} to {@code batchNode} (the embedder, then the matcher, which
 * forward the batch's events before this processor deletes its frames from the buffer: one step,
 * so one transaction). Every model's frames take this path; a face model's batch embeds every face
 * of its frames in one encoder call.
 *
 * <p>The buffer is the persistent, changelogged, cached store {@link Topics#FRAME_BUFFER_STORE},
 * keyed by a per-task sequence number (big-endian, so {@code range} returns arrival order). It
 * holds each frame's original record ({@link BufferedFrame}: bytes and source coordinates), the
 * compact serialisable form; the decoded form ({@link ValidFrame}: parsed frame and decoded image)
 * stays in memory beside it until the frame's batch is released, so a frame is decoded once. Under
 * exactly-once a frame's buffering, its event and its removal from the buffer commit atomically
 * with the input offset, so a crash loses or duplicates nothing: frames restored from the
 * changelog (no decoded form in memory) are validated and decoded again from their stored bytes at
 * the next punctuation; one that no longer passes (not expected) is dead-lettered to {@code
 * deadLetterNode} and removed from the buffer.
 */
public final class FrameBatcher implements Processor<byte[], ValidFrame, byte[], FrameFlow> {

  private static final Logger log = LoggerFactory.getLogger(FrameBatcher.class);

  private final FrameDecoder decoder;
  private final int batchSize;
  private final long maxWaitMs;
  private final String batchNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  /** The decoded form of the frames buffered by this instance, by buffer sequence. */
  private final Map<Long, ValidFrame> decoded = new HashMap<>();
  /** Arrival times ({@code System.nanoTime}) of the frames put by this instance, oldest first (batch-wait metric). */
  private long[] arrivals = new long[64];
  private int arrivalHead;
  private int arrivalCount;

  private ProcessorContext<byte[], FrameFlow> context;
  private KeyValueStore<Long, BufferedFrame> buffer;
  private long nextSequence;
  private long oldestSequence;
  private int buffered;
  private long oldestBufferedAtMs;

  /**
   * @param images decodes restored frames again (the model's frame embedder)
   * @param maxRecordBytes the validator's limit, applied again to restored frames
   */
  public FrameBatcher(FrameEmbedder images, int maxRecordBytes, int batchSize, Duration maxWait, String batchNode,
      String deadLetterNode, ServiceMetrics metrics) {
    this.decoder = new FrameDecoder(images, maxRecordBytes, metrics);
    this.batchSize = batchSize;
    this.maxWaitMs = maxWait.toMillis();
    this.batchNode = batchNode;
    this.deadLetterNode = deadLetterNode;
    this.metrics = metrics;
  }

  /** One batcher per task; it declares its buffer store. */
  public static ProcessorSupplier<byte[], ValidFrame, byte[], FrameFlow> supplier(FrameEmbedder images,
      int maxRecordBytes, int batchSize, Duration maxWait, String batchNode, String deadLetterNode,
      ServiceMetrics metrics) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<byte[], ValidFrame, byte[], FrameFlow> get() {
        return new FrameBatcher(images, maxRecordBytes, batchSize, maxWait, batchNode, deadLetterNode, metrics);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.FRAME_BUFFER_STORE),
            Serdes.Long(), BufferedFrame.serde()).withCachingEnabled());
      }
    };
  }

  @Override
  public void init(ProcessorContext<byte[], FrameFlow> context) {
    this.context = context;
    this.buffer = context.getStateStore(Topics.FRAME_BUFFER_STORE);
    // A re-initialised task (after a dirty close) starts from the store alone.
    decoded.clear();
    arrivalCount = 0;
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
  public void process(Record<byte[], ValidFrame> record) {
    if (buffered == 0) {
      oldestSequence = nextSequence;
      oldestBufferedAtMs = context.currentSystemTimeMs();
    }
    long start = System.nanoTime();
    decoded.put(nextSequence, record.value());
    buffer.put(nextSequence++, record.value().source());
    buffered++;
    arrived(start);
    metrics.stage(ServiceMetrics.Stage.BUFFER, System.nanoTime() - start);
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
   * Releases everything buffered, in batches of at most {@code batchSize}: each batch goes on (its
   * events are forwarded downstream) and its frames are deleted from the buffer before the next.
   */
  void flush() {
    while (buffered > 0) {
      long readStart = System.nanoTime();
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
        decoded.clear();
        return;
      }
      buffered -= batch.size();
      oldestSequence = batch.get(batch.size() - 1).key + 1;
      long startedNanos = System.nanoTime();
      metrics.stage(ServiceMetrics.Stage.BUFFER, startedNanos - readStart);
      metrics.stage(ServiceMetrics.Stage.BATCH_WAIT, departed(batch.size(), startedNanos));
      List<ValidFrame> frames = new ArrayList<>(batch.size());
      for (KeyValue<Long, BufferedFrame> entry : batch) {
        ValidFrame frame = decoded.remove(entry.key);
        if (frame == null) {
          frame = decodeRestored(entry.value);
        }
        if (frame != null) {
          frames.add(frame);
        }
      }
      if (!frames.isEmpty()) {
        BufferedFrame first = frames.get(0).source();
        context.forward(new Record<>(first.key(), new FrameBatch(frames, startedNanos), first.timestamp()),
            batchNode);
      }
      long deleteStart = System.nanoTime();
      for (KeyValue<Long, BufferedFrame> entry : batch) {
        buffer.delete(entry.key);
      }
      metrics.stage(ServiceMetrics.Stage.BUFFER, System.nanoTime() - deleteStart);
    }
  }

  private void arrived(long nanos) {
    if (arrivalCount == arrivals.length) {
      long[] grown = new long[arrivals.length * 2];
      for (int i = 0; i < arrivalCount; i++) {
        grown[i] = arrivals[(arrivalHead + i) % arrivals.length];
      }
      arrivals = grown;
      arrivalHead = 0;
    }
    arrivals[(arrivalHead + arrivalCount++) % arrivals.length] = nanos;
  }

  /** Sum of the waits of the {@code count} oldest frames put here (restored frames have none), until {@code now}. */
  private long departed(int count, long now) {
    long waited = 0;
    for (int i = 0; i < count && arrivalCount > 0; i++, arrivalCount--) {
      waited += now - arrivals[arrivalHead];
      arrivalHead = (arrivalHead + 1) % arrivals.length;
    }
    return waited;
  }

  /** A restored frame decoded again from its stored bytes; null (and dead-lettered) when it no longer passes. */
  private ValidFrame decodeRestored(BufferedFrame stored) {
    FrameDecoder.Result result = decoder.decode(stored.key(), stored.value());
    if (result instanceof FrameDecoder.Valid valid) {
      return new ValidFrame(valid.frame(), valid.image(), stored, null);
    }
    FrameDecoder.Invalid invalid = (FrameDecoder.Invalid) result;
    metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, invalid.reason());
    context.forward(DeadLetter.of(stored, null, invalid.reason(), invalid.detail()).record(), deadLetterNode);
    return null;
  }
}
