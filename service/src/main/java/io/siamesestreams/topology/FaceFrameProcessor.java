package io.siamesestreams.topology;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.FaceEmbedder;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.GalleryMatcher;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The frame path of a face model (instead of {@link FrameBatchProcessor}): each validated frame →
 * its faces ({@link FaceExtraction}: the frame's {@code faceBox}, the whole crop, or detection) →
 * aligned 150 × 150 chips → embedded in one ONNX Runtime call → matched ({@link GalleryMatcher})
 * → one match event per face to {@code eventsNode}, with the face's {@code faceBox},
 * {@code faceScore}, {@code faceIndex} (0-based, best detector score first) and {@code faceCount}.
 * Every face of a frame is matched as that frame: the frame's claim (VERIFY) applies to each.
 *
 * <p>A frame without a face gives exactly one event with decision {@link Decision#NO_FACE}
 * ({@code faceCount} 0, no distance). A frame whose {@code faceBox} lies outside its image is
 * dead-lettered (INVALID_FIELD:faceBox), as is one whose image cannot be decoded after all (it
 * passed validation, so that is not expected).
 *
 * <p>Accounting: every valid frame gives at least one event, all with its {@code frameId}; so
 * frames consumed = distinct {@code frameId}s on {@code match-events} + dead letters.
 *
 * <p>Frames are processed one at a time, without the batch buffer of the whole-frame path:
 * detection runs per frame anyway, and the faces of one frame form the embedding batch. Under
 * exactly-once the events of a frame commit atomically with its input offset.
 */
public final class FaceFrameProcessor implements Processor<byte[], byte[], Object, Object> {

  private final LoadedModel model;
  private final FaceExtraction faces;
  private final FaceEmbedder embedder;
  private final GalleryMatcher matcher;
  private final String eventsNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<Object, Object> context;

  /**
   * @param model a face model ({@link LoadedModel#isFaceModel()})
   */
  public FaceFrameProcessor(LoadedModel model, GalleryMatcher matcher, String eventsNode, String deadLetterNode,
      ServiceMetrics metrics) {
    if (!model.isFaceModel()) {
      throw new IllegalArgumentException("model " + model.modelId() + " is not a face model");
    }
    this.model = model;
    this.faces = model.faces();
    // Shares the model's encoder; never closed here (the model owns it).
    this.embedder = new FaceEmbedder(model.encoder());
    this.matcher = matcher;
    this.eventsNode = eventsNode;
    this.deadLetterNode = deadLetterNode;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long start = System.nanoTime();
    Frame frame;
    BufferedImage image;
    try {
      frame = JsonSerde.mapper().readValue(record.value(), Frame.class);
      image = FaceExtraction.decode(Base64.getDecoder().decode(frame.image()));
    } catch (IOException | IllegalArgumentException e) {
      deadLetter(record, DeadLetters.NOT_JSON, "frame passed validation but cannot be read: " + e.getMessage());
      return;
    } catch (InvalidImageException e) {
      deadLetter(record, e.reason().name(), e.getMessage());
      return;
    }
    List<DetectedFace> found;
    try {
      found = faces.faces(image, frame.faceBox());
    } catch (IllegalArgumentException e) {
      deadLetter(record, DeadLetters.invalidField("faceBox"), e.getMessage());
      return;
    }
    String cameraKey = new String(record.key(), StandardCharsets.UTF_8);
    if (found.isEmpty()) {
      forward(cameraKey, noFace(frame, processedAt(start)), record.timestamp());
      return;
    }
    List<BufferedImage> chips = new ArrayList<>(found.size());
    for (DetectedFace face : found) {
      chips.add(face.chip());
    }
    long embedStart = System.nanoTime();
    float[][] descriptors = embedder.embed(chips);
    metrics.batchEmbedded(chips.size(), System.nanoTime() - embedStart);
    int d = embedder.dimension();
    float[] flat = new float[descriptors.length * d];
    for (int i = 0; i < descriptors.length; i++) {
      System.arraycopy(descriptors[i], 0, flat, i * d, d);
    }
    List<MatchEvent> events = matcher.match(Collections.nCopies(found.size(), frame), flat, processedAt(start));
    for (int i = 0; i < events.size(); i++) {
      DetectedFace face = found.get(i);
      forward(cameraKey, events.get(i).withFace(pixels(face.box()), face.score(), i, found.size()), record.timestamp());
    }
  }

  /** The context's wall clock plus the time this frame took so far, so latencies include the processing. */
  private long processedAt(long startNanos) {
    return context.currentSystemTimeMs() + (System.nanoTime() - startNanos) / 1_000_000;
  }

  private MatchEvent noFace(Frame frame, long processedAt) {
    Mode mode = frame.hasClaim() ? Mode.VERIFY : Mode.IDENTIFY;
    return new MatchEvent(frame.frameId(), frame.cameraId(), frame.timestamp(), mode, Decision.NO_FACE,
        frame.hasClaim() ? frame.claimedIdentity() : null, null, null, model.scorer().threshold(), List.of(),
        model.modelId(), model.modelVersion(), processedAt, null, null, null, 0);
  }

  private void forward(String cameraKey, MatchEvent event, long timestamp) {
    metrics.matchEvent(event);
    context.forward(new Record<Object, Object>(cameraKey, event, timestamp), eventsNode);
  }

  /** The detector's box rounded to whole pixels. */
  static MatchEvent.FaceBox pixels(FaceBox box) {
    int x = (int) Math.round(box.x());
    int y = (int) Math.round(box.y());
    return new MatchEvent.FaceBox(x, y, (int) Math.round(box.right()) - x, (int) Math.round(box.bottom()) - y);
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String detail) {
    metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, reason);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Record<Object, Object> deadLetter = (Record) FrameValidationProcessor.deadLetter(context, record, reason, detail);
    context.forward(deadLetter, deadLetterNode);
  }
}
