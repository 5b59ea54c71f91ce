package io.siamesestreams.matching;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.ExecutionProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Scores pairs of embeddings exactly as the manifest defines: distance by its metric, decision by
 * {@code distance <= threshold}, probability from {@code head.onnx} ({@code p = σ(Σ_k w_k |a_k − b_k| + b)}).
 * Owns the head's ONNX Runtime session, if any.
 *
 * <p>Thread-safe. The head session runs with one intra-op and one inter-op thread (the head is a
 * single small matrix product). ONNX Runtime failures surface as {@link IllegalStateException}.
 */
public final class PairScorer implements AutoCloseable {

  private final DistanceFunction distance;
  private final double threshold;
  private final int dimension;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession head;
  private final String leftInput;
  private final String rightInput;
  private final String output;
  private volatile boolean closed;

  private PairScorer(ModelManifest manifest, OrtEnvironment env, OrtSession.SessionOptions options, OrtSession head) {
    this.distance = DistanceFunction.of(manifest.distance().metric());
    this.threshold = manifest.decision().threshold();
    this.dimension = manifest.output().dimension();
    this.env = env;
    this.options = options;
    this.head = head;
    ModelManifest.Head h = manifest.head();
    this.leftInput = head == null ? null : h.leftInput();
    this.rightInput = head == null ? null : h.rightInput();
    this.output = head == null ? null : h.output();
  }

  public static PairScorer open(ModelBundle bundle) {
    ModelManifest manifest = bundle.manifest();
    if (bundle.headFile().isEmpty()) {
      return new PairScorer(manifest, null, null, null);
    }
    String file = bundle.headFile().get().toString();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    // The head is a few multiply-adds per pair: one CPU thread, whatever runs the encoder.
    OrtSession.SessionOptions options = ExecutionProvider.CPU.sessionOptions(1);
    try {
      return new PairScorer(manifest, env, options, env.createSession(file, options));
    } catch (OrtException e) {
      options.close();
      throw new BundleValidationException(file, null, "ONNX Runtime cannot open the head: " + e.getMessage(), e);
    }
  }

  /**
   * Scores one pair of D-dimensional embeddings.
   *
   * @throws IllegalArgumentException when {@code a} or {@code b} does not have exactly D floats
   */
  public PairScore score(float[] a, float[] b) {
    if (a.length != dimension || b.length != dimension) {
      throw new IllegalArgumentException("embeddings must have " + dimension + " floats, had "
          + a.length + " and " + b.length);
    }
    double d = distance.between(a, 0, b, 0, dimension);
    double p = head == null ? Double.NaN : probabilities(a, b, 1)[0];
    return new PairScore(d, p, d <= threshold);
  }

  /** Distances of {@code n} pairs; {@code left} and {@code right} are n × D row-major. */
  public double[] distances(float[] left, float[] right, int n) {
    checkLength("left", left, n);
    checkLength("right", right, n);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = distance.between(left, i * dimension, right, i * dimension, dimension);
    }
    return out;
  }

  /** Head probabilities of {@code n} pairs, batched through ONNX Runtime; NaNs when there is no head. */
  public double[] probabilities(float[] left, float[] right, int n) {
    checkLength("left", left, n);
    checkLength("right", right, n);
    double[] out = new double[n];
    if (head == null || n == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    if (closed) {
      throw new IllegalStateException("pair scorer is closed");
    }
    long[] shape = {n, dimension};
    try (OnnxTensor l = OnnxTensor.createTensor(env, direct(left, n * dimension), shape);
        OnnxTensor r = OnnxTensor.createTensor(env, direct(right, n * dimension), shape);
        OrtSession.Result result = head.run(Map.of(leftInput, l, rightInput, r), Set.of(output))) {
      OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException("head returned no " + output));
      FloatBuffer p = ((OnnxTensor) value).getFloatBuffer();
      if (p.remaining() != n) {
        throw new IllegalStateException("head returned " + p.remaining() + " values for " + n + " pairs");
      }
      for (int i = 0; i < n; i++) {
        out[i] = p.get(i);
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to score " + n + " pairs", e);
    }
  }

  /** The decision threshold from the manifest. */
  public double threshold() {
    return threshold;
  }

  public boolean hasHead() {
    return head != null;
  }

  /** Embedding dimension D the scorer expects. */
  public int dimension() {
    return dimension;
  }

  @Override
  public void close() {
    if (closed || head == null) {
      closed = true;
      return;
    }
    closed = true;
    try {
      head.close();
    } catch (OrtException e) {
      // Nothing left to release on our side.
    }
    options.close();
  }

  private void checkLength(String name, float[] values, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
    if (values.length < (long) n * dimension) {
      throw new IllegalArgumentException(name + " holds " + values.length + " floats, " + n
          + " embedding(s) of dimension " + dimension + " need " + (long) n * dimension);
    }
  }

  private static FloatBuffer direct(float[] values, int length) {
    FloatBuffer buffer = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(values, 0, length).flip();
    return buffer;
  }
}
