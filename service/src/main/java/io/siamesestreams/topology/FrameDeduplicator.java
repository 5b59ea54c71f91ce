package io.siamesestreams.topology;

import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.topology.FrameFlow.DeadLetter;
import io.siamesestreams.topology.FrameFlow.ValidFrame;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops repeated frame ids: the window store {@link Topics#FRAME_IDS_STORE} remembers each valid
 * frame's id at its record timestamp (value: its source offset); a frame whose id was seen within
 * {@code window} (either side of its timestamp) is a DUPLICATE_FRAME_ID dead letter, any other goes
 * on to {@code nextNode}. Frames are keyed by camera, so a gateway that resends a frame with the same
 * key reaches the same task; the same id on two cameras is not caught. A zero window passes every
 * frame on and needs no store.
 */
public final class FrameDeduplicator implements Processor<byte[], ValidFrame, byte[], FrameFlow> {

  private final long windowMs;
  private final String nextNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<byte[], FrameFlow> context;
  private WindowStore<String, Long> seenFrameIds;

  public FrameDeduplicator(Duration window, String nextNode, String deadLetterNode, ServiceMetrics metrics) {
    this.windowMs = window.toMillis();
    this.nextNode = nextNode;
    this.deadLetterNode = deadLetterNode;
    this.metrics = metrics;
  }

  /** One de-duplicator per task; it declares its store (none for a zero window). */
  public static ProcessorSupplier<byte[], ValidFrame, byte[], FrameFlow> supplier(Duration window, String nextNode,
      String deadLetterNode, ServiceMetrics metrics) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<byte[], ValidFrame, byte[], FrameFlow> get() {
        return new FrameDeduplicator(window, nextNode, deadLetterNode, metrics);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return window.isZero() ? null : Set.of(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(Topics.FRAME_IDS_STORE, window.multipliedBy(2), window, false),
            Serdes.String(), Serdes.Long()).withCachingEnabled());
      }
    };
  }

  @Override
  public void init(ProcessorContext<byte[], FrameFlow> context) {
    this.context = context;
    if (windowMs > 0) {
      seenFrameIds = context.getStateStore(Topics.FRAME_IDS_STORE);
    }
  }

  @Override
  public void process(Record<byte[], ValidFrame> record) {
    ValidFrame frame = record.value();
    if (seenFrameIds != null) {
      long start = System.nanoTime();
      String frameId = frame.frame().frameId();
      Long firstOffset = firstSighting(frameId, record.timestamp());
      if (firstOffset == null) {
        seenFrameIds.put(frameId, frame.source().sourceOffset(), record.timestamp());
      }
      metrics.stage(ServiceMetrics.Stage.DEDUPE, System.nanoTime() - start);
      if (firstOffset != null) {
        metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, DeadLetters.DUPLICATE_FRAME_ID);
        context.forward(DeadLetter.of(frame, DeadLetters.DUPLICATE_FRAME_ID, "frame id " + frameId
            + " was already processed (source offset " + firstOffset + ")").record(), deadLetterNode);
        return;
      }
    }
    context.forward(record.withValue((FrameFlow) frame), nextNode);
  }

  /** The source offset of an earlier frame with this id within the window, or null. */
  private Long firstSighting(String frameId, long timestamp) {
    try (WindowStoreIterator<Long> seen = seenFrameIds.fetch(frameId, timestamp - windowMs, timestamp + windowMs)) {
      return seen.hasNext() ? seen.next().value : null;
    }
  }
}
