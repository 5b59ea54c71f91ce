package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.MatchEventFeed;
import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameEmbedder.EncoderInput;
import io.siamesestreams.identity.DecisionThresholds;
import io.siamesestreams.identity.Gallery;
import io.siamesestreams.identity.GalleryMatcher;
import io.siamesestreams.matching.PairScorer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.FrameFlow.EmbeddedBatch;
import io.siamesestreams.topology.FrameFlow.FrameEvent;
import io.siamesestreams.topology.FrameFlow.ValidFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Last step of the frame path: matches an embedded batch against the gallery ({@link GalleryMatcher}:
 * VERIFY a claim or IDENTIFY the top-k) and forwards the match events to {@code eventsNode}, each with
 * its frame's key and record timestamp, in the batch's order:
 *
 * <ul>
 *   <li>one event per encoder input; a face input's event carries its {@code faceBox},
 *       {@code faceScore}, {@code faceIndex} (0-based, best detector score first) and {@code faceCount},
 *       and every face of a frame is matched as that frame (its claim applies to each);
 *   <li>a frame with no input (a face model found no face) gives exactly one event with decision
 *       NO_FACE ({@code faceCount} 0, no distance).
 * </ul>
 *
 * So every frame that reaches the matcher gives at least one event, all with its {@code frameId}:
 * frames consumed = distinct {@code frameId}s on {@code match-events} + dead letters.
 */
public final class FrameMatcher implements Processor<byte[], EmbeddedBatch, byte[], FrameFlow> {

  private final GalleryMatcher matcher;
  private final String eventsNode;
  private final ServiceMetrics metrics;
  private final MatchEventFeed feed;
  private ProcessorContext<byte[], FrameFlow> context;

  public FrameMatcher(GalleryMatcher matcher, String eventsNode, ServiceMetrics metrics) {
    this(matcher, eventsNode, metrics, new MatchEventFeed());
  }

  /** As above, also publishing every event to {@code feed}. */
  public FrameMatcher(GalleryMatcher matcher, String eventsNode, ServiceMetrics metrics, MatchEventFeed feed) {
    this.matcher = matcher;
    this.eventsNode = eventsNode;
    this.metrics = metrics;
    this.feed = feed;
  }

  /** One matcher per task, all searching the topology's one gallery. */
  public static ProcessorSupplier<byte[], EmbeddedBatch, byte[], FrameFlow> supplier(Gallery gallery,
      PairScorer scorer, DecisionThresholds thresholds, int topK, String eventsNode, ServiceMetrics metrics,
      MatchEventFeed feed) {
    return () -> new FrameMatcher(gallery.matcher(scorer, thresholds, topK), eventsNode, metrics, feed);
  }

  @Override
  public void init(ProcessorContext<byte[], FrameFlow> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], EmbeddedBatch> record) {
    EmbeddedBatch batch = record.value();
    long processedAt = context.currentSystemTimeMs() + (System.nanoTime() - batch.startedNanos()) / 1_000_000;
    List<Frame> rows = new ArrayList<>();
    for (int i = 0; i < batch.frames().size(); i++) {
      for (int j = 0; j < batch.inputs().get(i).size(); j++) {
        rows.add(batch.frames().get(i).frame());
      }
    }
    long searchStart = System.nanoTime();
    List<MatchEvent> events = rows.isEmpty() ? List.of() : matcher.match(rows, batch.embeddings(), processedAt);
    long eventsStart = System.nanoTime();
    metrics.stage(ServiceMetrics.Stage.SEARCH, eventsStart - searchStart);
    for (int i = 0; i < batch.frames().size(); i++) {
      ValidFrame frame = batch.frames().get(i);
      int first = batch.firstRow()[i];
      List<EncoderInput> inputs = batch.inputs().get(i);
      for (MatchEvent event : matcher.frameEvents(frame.frame(), inputs,
          events.subList(first, first + inputs.size()), processedAt)) {
        forward(frame.source(), event);
      }
    }
    metrics.stage(ServiceMetrics.Stage.EVENT, System.nanoTime() - eventsStart);
  }

  private void forward(BufferedFrame source, MatchEvent event) {
    metrics.matchEvent(event);
    feed.publish(event);
    context.forward(new Record<byte[], FrameFlow>(source.key(), new FrameEvent(event), source.timestamp()),
        eventsNode);
  }
}
