package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Triplet loss on squared L2 distances (or, when asked, plain Euclidean distances), with online
 * mining inside the batch:
 *
 * <pre>L = mean over mined triplets (a, p, n) of max(d(f(a), f(p)) − d(f(a), f(n)) + α, 0)</pre>
 *
 * with {@code d = ‖·‖²} by default, or {@code d = sqrt(‖·‖² + }{@value #EUCLIDEAN_EPSILON}{@code )}
 * for {@link #euclidean}: squared distances make total collapse a zero-gradient point, plain ones do
 * not (Hermans, Beyer, Leibe 2017, §2); ε keeps the gradient finite at d = 0.
 *
 * (BATCH_ALL averages over the triplets whose loss is positive.) Mining selects indices on the
 * distance matrix detached from the graph; the loss itself is differentiable.
 *
 * <p>Steps: the B×B matrix {@code D_ij = ‖e_i‖² + ‖e_j‖² − 2 e_i·e_j}, clamped at 0, is computed
 * on the graph; a detached copy goes to {@link TripletMiner}; d(a, p) and d(a, n) are then picked
 * from the attached matrix by flat index, so gradients flow to the embeddings through D. A batch
 * without any valid triplet (or, for BATCH_ALL, without a positive-loss triplet) gives a loss of 0
 * that is still attached to the graph (zero gradient). {@link LossResult#activeFraction()} is the
 * share of mined triplets with a loss &gt; 0. Intermediate arrays belong to the embeddings' manager.
 */
public final class TripletLoss {
  /** Added under the square root of the Euclidean distance. */
  public static final float EUCLIDEAN_EPSILON = 1e-6f;

  private final float margin;
  private final Mining mining;
  private final boolean euclidean;

  /** @param margin α &gt; 0 (default 0.2 for L2-normalised embeddings), on squared distances */
  public TripletLoss(float margin, Mining mining) {
    this(margin, mining, false);
  }

  /**
   * @param margin α &gt; 0, in the units of the chosen distance
   * @param euclidean plain Euclidean distance instead of the squared one
   */
  public TripletLoss(float margin, Mining mining, boolean euclidean) {
    if (!(margin > 0) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be a positive finite number, got " + margin);
    }
    if (mining == null) {
      throw new IllegalArgumentException("mining must be given");
    }
    this.margin = margin;
    this.mining = mining;
    this.euclidean = euclidean;
  }

  /** Whether the loss uses plain Euclidean distances. */
  public boolean euclidean() {
    return euclidean;
  }

  public float margin() {
    return margin;
  }

  public Mining mining() {
    return mining;
  }

  /**
   * @param embeddings [B, D], attached to the gradient graph
   * @param labels length B
   * @return the scalar loss and batch statistics
   */
  public LossResult compute(NDArray embeddings, int[] labels) {
    return computeDetailed(embeddings, labels).result();
  }

  /**
   * The loss with the triplets it used.
   *
   * @param result what {@link #compute} returns
   * @param triplets the mined triplets
   * @param tripletLosses per-triplet loss values, same order as {@code triplets}
   */
  public record Detailed(LossResult result, Triplets triplets, float[] tripletLosses) {}

  /** {@link #compute}, also returning the mined triplets and their individual losses. */
  public Detailed computeDetailed(NDArray embeddings, int[] labels) {
    checkShape(embeddings, labels);
    long batch = labels.length;
    NDManager manager = embeddings.getManager();
    NDArray distances = pairwiseSquaredDistances(embeddings);
    if (euclidean) {
      distances = distances.add(EUCLIDEAN_EPSILON).sqrt();
    }
    float[] detached;
    try (NDArray copy = distances.stopGradient()) {
      detached = copy.toFloatArray();
    }
    Triplets triplets = TripletMiner.select(detached, labels, mining);
    if (triplets.size() == 0) {
      NDArray zero = embeddings.sum().mul(0f);
      return new Detailed(new LossResult(zero, 0f, 0f), triplets, new float[0]);
    }
    long[] apIndex = new long[triplets.size()];
    long[] anIndex = new long[triplets.size()];
    for (int t = 0; t < triplets.size(); t++) {
      long row = (long) triplets.anchors()[t] * batch;
      apIndex[t] = row + triplets.positives()[t];
      anIndex[t] = row + triplets.negatives()[t];
    }
    NDArray dap = distances.take(manager.create(apIndex));
    NDArray dan = distances.take(manager.create(anIndex));
    NDArray perTriplet = dap.sub(dan).add(margin).maximum(0f);
    float[] values = perTriplet.toFloatArray();
    int active = 0;
    for (float v : values) {
      if (v > 0) {
        active++;
      }
    }
    NDArray loss;
    if (mining == Mining.BATCH_ALL) {
      loss = active == 0 ? perTriplet.sum().mul(0f) : perTriplet.sum().div((float) active);
    } else {
      loss = perTriplet.mean();
    }
    float activeFraction = (float) active / triplets.size();
    return new Detailed(new LossResult(loss, loss.getFloat(), activeFraction), triplets, values);
  }

  private static void checkShape(NDArray embeddings, int[] labels) {
    if (embeddings.getShape().dimension() != 2 || embeddings.getShape().get(0) != labels.length) {
      throw new IllegalArgumentException(
          "embeddings must be [B, D] with B = " + labels.length + " labels, got " + embeddings.getShape());
    }
  }

  /**
   * Pairwise squared L2 distances {@code D_ij = ‖e_i‖² + ‖e_j‖² − 2 e_i·e_j}, clamped at 0 (rounding
   * can make the expansion slightly negative), attached to the graph of {@code embeddings}.
   *
   * @param embeddings [B, D]
   * @return [B, B]
   */
  public static NDArray pairwiseSquaredDistances(NDArray embeddings) {
    NDArray squaredNorms = embeddings.square().sum(new int[] {1}, true);
    NDArray gram = embeddings.matMul(embeddings.transpose());
    return squaredNorms.add(squaredNorms.transpose()).sub(gram.mul(2f)).maximum(0f);
  }
}
