package io.siamesestreams.identity;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameEmbedder.EncoderInput;
import io.siamesestreams.matching.PairScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns embedded frames into match events against a {@link GalleryIndex}.
 *
 * <ul>
 *   <li>VERIFY (the frame has a claimed identity): distance = the smallest distance between the
 *       frame's embedding and the claimed identity's templates; MATCH when
 *       {@code distance <= threshold}; UNKNOWN_IDENTITY (distance and probability null) when the
 *       identity is not in the gallery.
 *   <li>IDENTIFY: the top-k identities by that distance; the event's identity, distance and
 *       decision are those of the nearest; NO_MATCH with no identity when the gallery is empty.
 * </ul>
 *
 * Probability: the head's {@code p = σ(Σ_k w_k |a_k − b_k| + b)} between the frame's embedding
 * and the nearest template, computed for the whole batch in one ONNX Runtime call; null when the
 * bundle has no head. Metric is the manifest's ({@link PairScorer}); the threshold is the frame's
 * camera's ({@link DecisionThresholds#forCamera}), and each event carries the one it was decided with.
 */
public final class GalleryMatcher {

  private final GalleryIndex gallery;
  private final PairScorer scorer;
  private final DecisionThresholds thresholds;
  private final String modelId;
  private final String modelVersion;
  private final int topK;

  /** A matcher deciding with the bundle's threshold ({@link PairScorer#threshold()}) for every camera. */
  public GalleryMatcher(GalleryIndex gallery, PairScorer scorer, String modelId, String modelVersion, int topK) {
    this(gallery, scorer, DecisionThresholds.uniform(scorer.threshold()), modelId, modelVersion, topK);
  }

  public GalleryMatcher(GalleryIndex gallery, PairScorer scorer, DecisionThresholds thresholds, String modelId,
      String modelVersion, int topK) {
    this.gallery = Objects.requireNonNull(gallery, "gallery");
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    this.modelId = modelId;
    this.modelVersion = modelVersion;
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, was " + topK);
    }
    this.topK = topK;
  }

  /**
   * Matches {@code frames.size()} frames.
   *
   * @param embeddings the frames' embeddings, row-major (frame i at offset i × D)
   * @param processedAt the events' {@code processedAt}, epoch ms
   * @return one event per frame, in order
   */
  public List<MatchEvent> match(List<Frame> frames, float[] embeddings, long processedAt) {
    int dimension = gallery.dimension();
    if (embeddings.length < frames.size() * dimension) {
      throw new IllegalArgumentException("need " + frames.size() + " × " + dimension + " floats, got "
          + embeddings.length);
    }
    // Identify queries of the batch are searched together (an index may read its gallery once for all).
    int identifies = 0;
    for (Frame frame : frames) {
      if (!frame.hasClaim()) {
        identifies++;
      }
    }
    int[] offsets = new int[identifies];
    for (int i = 0, q = 0; i < frames.size(); i++) {
      if (!frames.get(i).hasClaim()) {
        offsets[q++] = i * dimension;
      }
    }
    List<List<GalleryIndex.Neighbour>> identified =
        identifies == 0 ? List.of() : gallery.nearestIdentities(embeddings, offsets, topK);
    List<Comparison> comparisons = new ArrayList<>(frames.size());
    for (int i = 0, q = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      comparisons.add(frame.hasClaim() ? verify(frame, embeddings, i * dimension) : identify(identified.get(q++)));
    }
    double[] probabilities = headProbabilities(comparisons, embeddings, dimension);
    List<MatchEvent> events = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      double threshold = thresholds.forCamera(frame.cameraId());
      Comparison c = comparisons.get(i);
      GalleryIndex.Neighbour nearest = c.nearest();
      Decision decision;
      if (nearest == null) {
        decision = c.mode() == Mode.VERIFY ? Decision.UNKNOWN_IDENTITY : Decision.NO_MATCH;
      } else {
        decision = nearest.distance() <= threshold ? Decision.MATCH : Decision.NO_MATCH;
      }
      String identityId = c.mode() == Mode.VERIFY ? frame.claimedIdentity()
          : nearest == null ? null : nearest.identityId();
      Double probability = probabilities == null || Double.isNaN(probabilities[i]) ? null : probabilities[i];
      events.add(new MatchEvent(frame.frameId(), frame.cameraId(), frame.timestamp(), c.mode(), decision, identityId,
          nearest == null ? null : nearest.distance(), nearest == null ? null : probability, threshold,
          c.candidates(), modelId, modelVersion, processedAt));
    }
    return events;
  }

  /**
   * The events of one frame whose encoder inputs were matched as that frame (each input's event at
   * the same position in {@code inputEvents}): exactly one NO_FACE event ({@link #noFace}) when the
   * frame has no input; else one event per input, a face input's carrying its {@code faceBox},
   * {@code faceScore}, {@code faceIndex} (its position, best detector score first) and {@code faceCount}.
   */
  public List<MatchEvent> frameEvents(Frame frame, List<EncoderInput> inputs, List<MatchEvent> inputEvents,
      long processedAt) {
    if (inputs.isEmpty()) {
      return List.of(noFace(frame, processedAt));
    }
    List<MatchEvent> events = new ArrayList<>(inputs.size());
    for (int j = 0; j < inputs.size(); j++) {
      EncoderInput input = inputs.get(j);
      MatchEvent event = inputEvents.get(j);
      events.add(input.isFace() ? event.withFace(input.faceBox(), input.faceScore(), j, inputs.size()) : event);
    }
    return events;
  }

  /**
   * Matches one frame on its own: its encoder inputs' embeddings (input j at offset j × D) against
   * the gallery, as {@link #match} would within a batch, then {@link #frameEvents}.
   */
  public List<MatchEvent> matchFrame(Frame frame, List<EncoderInput> inputs, float[] embeddings, long processedAt) {
    List<MatchEvent> inputEvents = inputs.isEmpty() ? List.of()
        : match(java.util.Collections.nCopies(inputs.size(), frame), embeddings, processedAt);
    return frameEvents(frame, inputs, inputEvents, processedAt);
  }

  /**
   * The one event of a frame in which the model found nothing to embed (a face model, no face):
   * decision NO_FACE, no identity for IDENTIFY (the claimed one for VERIFY), no distance, {@code
   * faceCount} 0.
   */
  public MatchEvent noFace(Frame frame, long processedAt) {
    Mode mode = frame.hasClaim() ? Mode.VERIFY : Mode.IDENTIFY;
    return new MatchEvent(frame.frameId(), frame.cameraId(), frame.timestamp(), mode, Decision.NO_FACE,
        frame.hasClaim() ? frame.claimedIdentity() : null, null, null, thresholds.forCamera(frame.cameraId()),
        List.of(), modelId, modelVersion, processedAt, null, null, null, 0);
  }

  private Comparison verify(Frame frame, float[] embeddings, int offset) {
    GalleryIndex.Neighbour nearest = gallery.nearestTemplate(frame.claimedIdentity(), embeddings, offset).orElse(null);
    return new Comparison(Mode.VERIFY, nearest, List.of());
  }

  private static Comparison identify(List<GalleryIndex.Neighbour> top) {
    List<MatchEvent.Candidate> candidates = new ArrayList<>(top.size());
    for (GalleryIndex.Neighbour n : top) {
      candidates.add(new MatchEvent.Candidate(n.identityId(), n.distance()));
    }
    return new Comparison(Mode.IDENTIFY, top.isEmpty() ? null : top.get(0), candidates);
  }

  /** Head probabilities of (frame, nearest template) for the frames that have a nearest; null without head. */
  private double[] headProbabilities(List<Comparison> comparisons, float[] embeddings, int dimension) {
    if (!scorer.hasHead()) {
      return null;
    }
    int pairs = 0;
    for (Comparison c : comparisons) {
      if (c.nearest() != null) {
        pairs++;
      }
    }
    double[] byFrame = new double[comparisons.size()];
    java.util.Arrays.fill(byFrame, Double.NaN);
    if (pairs == 0) {
      return byFrame;
    }
    float[] left = new float[pairs * dimension];
    float[] right = new float[pairs * dimension];
    int pair = 0;
    for (int i = 0; i < comparisons.size(); i++) {
      GalleryIndex.Neighbour nearest = comparisons.get(i).nearest();
      if (nearest != null) {
        System.arraycopy(embeddings, i * dimension, left, pair * dimension, dimension);
        System.arraycopy(nearest.template(), 0, right, pair * dimension, dimension);
        pair++;
      }
    }
    double[] probabilities = scorer.probabilities(left, right, pairs);
    pair = 0;
    for (int i = 0; i < comparisons.size(); i++) {
      if (comparisons.get(i).nearest() != null) {
        byFrame[i] = probabilities[pair++];
      }
    }
    return byFrame;
  }

  private record Comparison(Mode mode, GalleryIndex.Neighbour nearest, List<MatchEvent.Candidate> candidates) {}
}
