package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.siamesestreams.trainer.data.PairSet;
import java.util.Random;

/**
 * Binary same/different loss over balanced pairs drawn from the batch:
 *
 * <pre>p = σ(Σ_k w_k |f(x_i)_k − f(x_j)_k| + b),  L = −mean[y log p + (1 − y) log(1 − p)]</pre>
 *
 * with y = 1 for pairs of the same label. Pairs: every same-label pair of the batch and as many
 * different-label pairs, drawn with the given seed sequence.
 *
 * <p>Computed from the logit z = Σ_k w_k |a_k − b_k| + b in the numerically stable form
 * {@code −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z}. Different-label pairs are drawn
 * uniformly without replacement among all different-label pairs (all of them when there are fewer);
 * one {@code Random(seed)} serves successive calls, so a run is reproducible. A batch without any
 * same-label pair gives a loss of 0 attached to the graph. {@link LossResult#activeFraction()} is the
 * share of pairs the head gets wrong at p = ½ (z ≥ 0 for a different pair, z &lt; 0 for a same pair),
 * since the cross-entropy itself is never exactly zero.
 */
public final class BinaryPairLoss {
  private final Random random;

  public BinaryPairLoss(long seed) {
    this.random = new Random(seed);
  }

  /**
   * @param embeddings [B, D]
   * @param labels length B
   * @param weight w, shape [D] (or [1, D])
   * @param bias b, shape [1]
   */
  public LossResult compute(NDArray embeddings, int[] labels, NDArray weight, NDArray bias) {
    if (embeddings.getShape().dimension() != 2 || embeddings.getShape().get(0) != labels.length) {
      throw new IllegalArgumentException(
          "embeddings must be [B, D] with B = " + labels.length + " labels, got " + embeddings.getShape());
    }
    PairSet pairs = selectPairs(labels, random);
    if (pairs.size() == 0) {
      return new LossResult(embeddings.sum().mul(0f), 0f, 0f);
    }
    return loss(embeddings, pairs, weight, bias);
  }

  /**
   * The loss on given pairs of rows of {@code embeddings} (no sampling): {@code mean(softplus(z) − y·z)}.
   *
   * @param pairs row indices into {@code embeddings} and their same/different targets; not empty
   */
  public static LossResult loss(NDArray embeddings, PairSet pairs, NDArray weight, NDArray bias) {
    NDManager manager = embeddings.getManager();
    NDArray logits = logits(embeddings, pairs.left(), pairs.right(), weight, bias);
    float[] targets = new float[pairs.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = pairs.same()[i] ? 1f : 0f;
    }
    NDArray y = manager.create(targets);
    NDArray loss = Activation.softPlus(logits).sub(y.mul(logits)).mean();
    float[] z = logits.toFloatArray();
    int wrong = 0;
    for (int i = 0; i < z.length; i++) {
      if (pairs.same()[i] ? z[i] < 0 : z[i] >= 0) {
        wrong++;
      }
    }
    return new LossResult(loss, loss.getFloat(), (float) wrong / z.length);
  }

  /**
   * Head logits {@code z_i = Σ_k w_k |e[left_i]_k − e[right_i]_k| + b}, shape [N]; p = σ(z).
   *
   * @param embeddings [B, D]
   * @param weight [D] or [1, D]
   * @param bias [1] (or a scalar)
   */
  public static NDArray logits(NDArray embeddings, int[] left, int[] right, NDArray weight, NDArray bias) {
    NDManager manager = embeddings.getManager();
    long dimension = embeddings.getShape().get(1);
    if (weight.size() != dimension) {
      throw new IllegalArgumentException("weight must have " + dimension + " values, got shape " + weight.getShape());
    }
    NDArray a = embeddings.get(new NDIndex("{}", manager.create(toLongs(left))));
    NDArray b = embeddings.get(new NDIndex("{}", manager.create(toLongs(right))));
    NDArray weighted = a.sub(b).abs().matMul(weight.reshape(new Shape(dimension, 1)));
    return weighted.reshape(new Shape(left.length)).add(bias.reshape(new Shape(1)));
  }

  /**
   * Balanced pairs of a batch: every same-label pair (i &lt; j), in order, followed by as many
   * different-label pairs (i &lt; j) drawn uniformly without replacement with {@code random} (all of
   * them when there are fewer). Empty when no two images share a label.
   */
  public static PairSet selectPairs(int[] labels, Random random) {
    int b = labels.length;
    int sameCount = 0;
    int differentCount = 0;
    for (int i = 0; i < b; i++) {
      for (int j = i + 1; j < b; j++) {
        if (labels[i] == labels[j]) {
          sameCount++;
        } else {
          differentCount++;
        }
      }
    }
    if (sameCount == 0) {
      return new PairSet(new int[0], new int[0], new boolean[0]);
    }
    int[] sameCodes = new int[sameCount];
    int[] differentCodes = new int[differentCount];
    int s = 0;
    int d = 0;
    for (int i = 0; i < b; i++) {
      for (int j = i + 1; j < b; j++) {
        if (labels[i] == labels[j]) {
          sameCodes[s++] = i * b + j;
        } else {
          differentCodes[d++] = i * b + j;
        }
      }
    }
    int drawn = Math.min(sameCount, differentCount);
    for (int i = 0; i < drawn; i++) {
      int j = i + random.nextInt(differentCount - i);
      int tmp = differentCodes[i];
      differentCodes[i] = differentCodes[j];
      differentCodes[j] = tmp;
    }
    int n = sameCount + drawn;
    int[] left = new int[n];
    int[] right = new int[n];
    boolean[] same = new boolean[n];
    for (int i = 0; i < n; i++) {
      int code = i < sameCount ? sameCodes[i] : differentCodes[i - sameCount];
      left[i] = code / b;
      right[i] = code % b;
      same[i] = i < sameCount;
    }
    return new PairSet(left, right, same);
  }

  private static long[] toLongs(int[] values) {
    long[] result = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
