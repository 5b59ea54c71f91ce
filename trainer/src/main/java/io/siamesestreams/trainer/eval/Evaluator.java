package io.siamesestreams.trainer.eval;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.matching.PairScorer;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.trainer.data.LabeledImages;
import io.siamesestreams.trainer.data.PairSampler;
import io.siamesestreams.trainer.data.PairSet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a model bundle the way the service runs it: images go through the core preprocessing
 * path and {@code encoder.onnx} / {@code head.onnx} in ONNX Runtime, never through DJL.
 *
 * <p>Each image is embedded once ({@link #embedAll}); pairs are drawn by {@link PairSampler#balanced}
 * (seeded, half same-identity, half different) and scored by core's {@link PairScorer}: distance by the
 * manifest's metric (smaller = more similar; ROC curves use {@code −distance} as the score) and the head's
 * probability. Progress of the embedding step goes to standard error.
 */
public final class Evaluator {
  /** Default number of pairs per pair set (half same, half different). */
  public static final int DEFAULT_PAIRS = 20_000;

  /** Images per encoder call. */
  public static final int DEFAULT_BATCH_SIZE = 256;

  /** Head probability at or above which a pair counts as "same" for {@code head_accuracy_at_0.5}. */
  private static final double HEAD_DECISION = 0.5;

  private Evaluator() {}

  /**
   * Threshold and head calibration from one embedding pass over the validation images.
   *
   * @param threshold see {@link #calibrateThreshold}
   * @param head see {@link #calibrateHead}; empty when the bundle has no head
   * @param distance Platt scaling fitted on the same pairs to {@code σ(−distance)}, so that
   *     {@code p = σ(−distance.scale() · d + distance.shift())} is a calibrated probability as a function of
   *     the distance d alone
   */
  public record Calibration(double threshold, Optional<PlattScaling> head, PlattScaling distance) {}

  /** Embeds every image of {@code images} in batches of {@code batchSize}; returns size × D floats, row-major. */
  public static float[] embedAll(Encoder encoder, LabeledImages images, int batchSize) {
    return embedAll(encoder, images, batchSize, ProgressLine.onStandardError("embedding images", images.size()));
  }

  static float[] embedAll(Encoder encoder, LabeledImages images, int batchSize, ProgressLine progress) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    int n = images.size();
    int dim = encoder.dimension();
    ImagePreprocessor preprocessor = encoder.preprocessor();
    FloatBuffer batch = preprocessor.allocate(Math.min(batchSize, Math.max(n, 1)));
    float[] embeddings = new float[n * dim];
    for (int start = 0; start < n; start += batchSize) {
      int count = Math.min(batchSize, n - start);
      batch.clear();
      for (int i = start; i < start + count; i++) {
        try {
          images.putImage(i, preprocessor, batch);
        } catch (InvalidImageException e) {
          throw new IllegalArgumentException(
              "image " + i + " (" + images.source(i) + ") cannot be embedded: " + e.reason() + ": " + e.getMessage(),
              e);
        }
      }
      batch.rewind();
      float[] out = encoder.embed(batch, count);
      System.arraycopy(out, 0, embeddings, start * dim, count * dim);
      progress.advance(count);
    }
    progress.done();
    return embeddings;
  }

  /**
   * The decision threshold at a target false-accept rate, from seeded balanced pairs of {@code validation}:
   * the largest distance threshold t such that the fraction of different-identity pairs with
   * {@code distance <= t} is at most {@code targetFar}.
   *
   * <p>That is {@code Math.nextDown} of the (k+1)-th smallest different-pair distance, k the largest count
   * with {@code k / differentPairs <= targetFar}; different pairs tied at that distance are all rejected,
   * so ties never push the FAR above the target. See {@link RocCurve#thresholdAtFar}.
   *
   * @param targetFar in (0, 1)
   */
  public static double calibrateThreshold(
      ModelBundle bundle, LabeledImages validation, int pairs, long seed, double targetFar) {
    requireTargetFar(targetFar);
    ScoredPairs scored = scoreValidationPairs(bundle, validation, pairs, seed, false);
    return thresholdAtFar(scored.distances(), scored.same(), targetFar);
  }

  /**
   * Fits Platt scaling of the bundle's head on seeded balanced pairs of {@code validation}:
   * {@code p' = σ(scale · logit(p) + shift)}.
   *
   * @throws IllegalArgumentException when the bundle has no head
   */
  public static PlattScaling calibrateHead(ModelBundle bundle, LabeledImages validation, int pairs, long seed) {
    requireHead(bundle);
    ScoredPairs scored = scoreValidationPairs(bundle, validation, pairs, seed, true);
    return PlattScaling.fit(scored.probabilities(), scored.same());
  }

  /**
   * {@link #calibrateThreshold} and {@link #calibrateHead} (when the bundle has a head) on the same pairs,
   * embedding the validation images once.
   */
  public static Calibration calibrate(
      ModelBundle bundle, LabeledImages validation, int pairs, long seed, double targetFar) {
    requireTargetFar(targetFar);
    boolean withHead = bundle.headFile().isPresent();
    ScoredPairs scored = scoreValidationPairs(bundle, validation, pairs, seed, withHead);
    double threshold = thresholdAtFar(scored.distances(), scored.same(), targetFar);
    Optional<PlattScaling> head =
        withHead ? Optional.of(PlattScaling.fit(scored.probabilities(), scored.same())) : Optional.empty();
    double[] fromDistance = new double[scored.size()];
    for (int i = 0; i < fromDistance.length; i++) {
      fromDistance[i] = PlattScaling.sigmoid(-scored.distances()[i]);
    }
    return new Calibration(threshold, head, PlattScaling.fit(fromDistance, scored.same()));
  }

  /** Embeds {@code validation} once and scores seeded balanced pairs of it. */
  private static ScoredPairs scoreValidationPairs(
      ModelBundle bundle, LabeledImages validation, int pairs, long seed, boolean withHead) {
    try (Encoder encoder = Encoder.open(bundle);
        PairScorer scorer = PairScorer.open(bundle)) {
      float[] embeddings = embedAll(encoder, validation, DEFAULT_BATCH_SIZE);
      PairSet pairSet = PairSampler.balanced(validation, pairs, seed);
      return score(scorer, embeddings, encoder.dimension(), null, pairSet, withHead);
    }
  }

  /**
   * The largest distance threshold whose false-accept rate on these pairs is at most {@code targetFar}
   * (the rule of {@link #calibrateThreshold}).
   */
  public static double thresholdAtFar(double[] distances, boolean[] same, double targetFar) {
    // Accepting score = −distance ≥ s is accepting distance ≤ −s; negation is exact in floating point.
    return -RocCurve.ofDistances(distances, same).thresholdAtFar(targetFar);
  }

  /**
   * Full evaluation on seeded balanced pairs of {@code test} (all labels) and of its held-out labels
   * only; the threshold is the bundle's.
   *
   * <p>Three pair sets of {@code pairs} pairs each, drawn with {@code seed}: all images; images of
   * held-out labels only (both images of every pair, same and different, come from held-out classes);
   * images of the other (seen) labels only. Figures (NaN where not measurable: no held-out labels, fewer
   * than two held-out labels present, or no head):
   *
   * <ul>
   *   <li>{@code auc}, {@code eer}, {@code tar_at_far_1e-1}, {@code tar_at_far_1e-2}, {@code tar_at_far_1e-3}:
   *       distance ROC on all pairs; TAR at FAR f is the TAR at the threshold chosen by the rule of
   *       {@link #calibrateThreshold} on these pairs.
   *   <li>{@code threshold}: the bundle's; {@code target_far}: the FAR it was calibrated at;
   *       {@code accuracy_at_threshold}, {@code far_at_threshold}, {@code frr_at_threshold}: on all pairs,
   *       match when {@code distance <= threshold}.
   *   <li>{@code seen_auc}, {@code seen_eer}: pairs of seen classes only.
   *   <li>{@code heldout_auc}, {@code heldout_eer}, {@code heldout_tar_at_far_1e-2},
   *       {@code heldout_accuracy_at_threshold}: pairs of held-out classes only.
   *   <li>{@code head_auc}, {@code head_ece} (15 equal-width bins, see {@link ExpectedCalibrationError}),
   *       {@code head_accuracy_at_0.5}: the head's probability on all pairs; {@code heldout_head_auc} on
   *       held-out pairs; {@code match_with_p_below_0.5}: of all pairs the threshold decides MATCH
   *       ({@code distance <= threshold}), the share whose head probability is below 0.5 (0 when none is MATCH).
   * </ul>
   *
   * @param heldOutLabels labels never seen in training (may be empty: heldout figures are then NaN)
   */
  public static EvalReport evaluate(
      ModelBundle bundle, LabeledImages test, Set<Integer> heldOutLabels, int pairs, long seed) {
    ModelManifest manifest = bundle.manifest();
    double threshold = manifest.decision().threshold();
    // Rates in score space: accept −distance ≥ −threshold.
    double scoreThreshold = -threshold;
    try (Encoder encoder = Encoder.open(bundle);
        PairScorer scorer = PairScorer.open(bundle)) {
      int dim = encoder.dimension();
      float[] embeddings = embedAll(encoder, test, DEFAULT_BATCH_SIZE);
      boolean head = scorer.hasHead();

      ScoredPairs all = score(scorer, embeddings, dim, null, PairSampler.balanced(test, pairs, seed), head);
      Optional<ScoredPairs> seen = scoreSubset(scorer, embeddings, dim, test, heldOutLabels, false, pairs, seed, head);
      Optional<ScoredPairs> heldOut =
          heldOutLabels.isEmpty()
              ? Optional.empty()
              : scoreSubset(scorer, embeddings, dim, test, heldOutLabels, true, pairs, seed, head);

      RocCurve allRoc = RocCurve.ofDistances(all.distances(), all.same());
      Optional<RocCurve> seenRoc = seen.map(s -> RocCurve.ofDistances(s.distances(), s.same()));
      Optional<RocCurve> heldOutRoc = heldOut.map(s -> RocCurve.ofDistances(s.distances(), s.same()));

      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("auc", allRoc.auc());
      figures.put("eer", allRoc.eer());
      figures.put("tar_at_far_1e-1", allRoc.tarAtFar(1e-1));
      figures.put("tar_at_far_1e-2", allRoc.tarAtFar(1e-2));
      figures.put("tar_at_far_1e-3", allRoc.tarAtFar(1e-3));
      figures.put("threshold", threshold);
      figures.put("target_far", manifest.decision().targetFalseAcceptRate());
      figures.put("accuracy_at_threshold", allRoc.accuracyAt(scoreThreshold));
      figures.put("far_at_threshold", allRoc.farAt(scoreThreshold));
      figures.put("frr_at_threshold", 1 - allRoc.tarAt(scoreThreshold));
      figures.put("seen_auc", seenRoc.map(RocCurve::auc).orElse(Double.NaN));
      figures.put("seen_eer", seenRoc.map(RocCurve::eer).orElse(Double.NaN));
      figures.put("heldout_auc", heldOutRoc.map(RocCurve::auc).orElse(Double.NaN));
      figures.put("heldout_eer", heldOutRoc.map(RocCurve::eer).orElse(Double.NaN));
      figures.put("heldout_tar_at_far_1e-2", heldOutRoc.map(r -> r.tarAtFar(1e-2)).orElse(Double.NaN));
      figures.put(
          "heldout_accuracy_at_threshold", heldOutRoc.map(r -> r.accuracyAt(scoreThreshold)).orElse(Double.NaN));
      if (head) {
        figures.put("head_auc", RocCurve.of(all.probabilities(), all.same()).auc());
        figures.put("head_ece", ExpectedCalibrationError.of(all.probabilities(), all.same()));
        figures.put("head_accuracy_at_0.5", RocCurve.of(all.probabilities(), all.same()).accuracyAt(HEAD_DECISION));
        figures.put(
            "heldout_head_auc",
            heldOut.map(s -> RocCurve.of(s.probabilities(), s.same()).auc()).orElse(Double.NaN));
        figures.put(MATCH_BELOW_HALF, matchShareBelowHalf(all, threshold));
      } else {
        figures.put(MATCH_BELOW_HALF, Double.NaN);
        figures.put("head_auc", Double.NaN);
        figures.put("head_ece", Double.NaN);
        figures.put("head_accuracy_at_0.5", Double.NaN);
        figures.put("heldout_head_auc", Double.NaN);
      }

      Map<String, Integer> pairCounts = new LinkedHashMap<>();
      pairCounts.put("pairs", all.size());
      pairCounts.put("seen_pairs", seen.map(ScoredPairs::size).orElse(0));
      pairCounts.put("heldout_pairs", heldOut.map(ScoredPairs::size).orElse(0));

      List<EvalReport.Curve> curves = new ArrayList<>();
      curves.add(new EvalReport.Curve("all pairs", allRoc));
      seenRoc.ifPresent(r -> curves.add(new EvalReport.Curve("seen classes", r)));
      heldOutRoc.ifPresent(r -> curves.add(new EvalReport.Curve("held-out classes", r)));

      List<String> heldOutNames = new ArrayList<>();
      heldOutLabels.stream().sorted().forEach(label -> heldOutNames.add(test.classNames().get(label)));

      return new EvalReport(
          manifest.modelId(),
          manifest.modelVersion(),
          seed,
          figures,
          pairCounts,
          heldOutNames,
          curves,
          new EvalReport.OperatingPoint(threshold, allRoc.farAt(scoreThreshold), allRoc.tarAt(scoreThreshold)));
    }
  }

  /** Name of the figure: share of MATCH-decided pairs whose head probability is below 0.5. */
  public static final String MATCH_BELOW_HALF = "match_with_p_below_0.5";

  private static double matchShareBelowHalf(ScoredPairs pairs, double threshold) {
    int matches = 0;
    int below = 0;
    for (int i = 0; i < pairs.size(); i++) {
      if (pairs.distances()[i] <= threshold) {
        matches++;
        if (pairs.probabilities()[i] < HEAD_DECISION) {
          below++;
        }
      }
    }
    return matches == 0 ? 0 : (double) below / matches;
  }

  /** Distances, head probabilities (NaN when not asked for) and same/different truth of a pair set. */
  private record ScoredPairs(double[] distances, double[] probabilities, boolean[] same) {
    int size() {
      return same.length;
    }
  }

  /**
   * Pairs of the images of {@code test} whose label is (or, with {@code inside} false, is not) in
   * {@code labels}; empty when those images cannot form both kinds of pair (fewer than two labels or no
   * label with two images).
   */
  private static Optional<ScoredPairs> scoreSubset(
      PairScorer scorer,
      float[] embeddings,
      int dim,
      LabeledImages test,
      Set<Integer> labels,
      boolean inside,
      int pairs,
      long seed,
      boolean withHead) {
    int[] indices = new int[test.size()];
    int n = 0;
    for (int i = 0; i < test.size(); i++) {
      if (labels.contains(test.label(i)) == inside) {
        indices[n++] = i;
      }
    }
    int[] kept = Arrays.copyOf(indices, n);
    LabeledImages subset = test.subset(kept);
    if (!canFormBothKindsOfPair(subset)) {
      return Optional.empty();
    }
    return Optional.of(score(scorer, embeddings, dim, kept, PairSampler.balanced(subset, pairs, seed), withHead));
  }

  private static boolean canFormBothKindsOfPair(LabeledImages images) {
    int[][] byLabel = images.indicesByLabel();
    int present = 0;
    boolean twoOfOne = false;
    for (int[] members : byLabel) {
      if (members.length > 0) {
        present++;
      }
      twoOfOne |= members.length >= 2;
    }
    return present >= 2 && twoOfOne;
  }

  /**
   * Scores {@code pairs} whose indices point into a subset; {@code subsetToImage} maps them to rows of
   * {@code embeddings} (null: the identity).
   */
  private static ScoredPairs score(
      PairScorer scorer, float[] embeddings, int dim, int[] subsetToImage, PairSet pairs, boolean withHead) {
    int n = pairs.size();
    float[] left = new float[n * dim];
    float[] right = new float[n * dim];
    for (int k = 0; k < n; k++) {
      int a = subsetToImage == null ? pairs.left()[k] : subsetToImage[pairs.left()[k]];
      int b = subsetToImage == null ? pairs.right()[k] : subsetToImage[pairs.right()[k]];
      System.arraycopy(embeddings, a * dim, left, k * dim, dim);
      System.arraycopy(embeddings, b * dim, right, k * dim, dim);
    }
    double[] distances = scorer.distances(left, right, n);
    double[] probabilities;
    if (withHead) {
      probabilities = scorer.probabilities(left, right, n);
    } else {
      probabilities = new double[n];
      Arrays.fill(probabilities, Double.NaN);
    }
    return new ScoredPairs(distances, probabilities, pairs.same().clone());
  }

  private static void requireTargetFar(double targetFar) {
    if (!(targetFar > 0 && targetFar < 1)) {
      throw new IllegalArgumentException("targetFar must be in (0, 1), was " + targetFar);
    }
  }

  private static void requireHead(ModelBundle bundle) {
    if (bundle.headFile().isEmpty()) {
      throw new IllegalArgumentException(bundle + " has no head to calibrate");
    }
  }
}
