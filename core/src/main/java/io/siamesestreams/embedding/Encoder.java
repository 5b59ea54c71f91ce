package io.siamesestreams.embedding;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.preprocess.ImagePreprocessor;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Embeds batches of preprocessed images with the bundle's {@code encoder.onnx} through ONNX Runtime.
 *
 * <p>Uses the JVM's single {@code OrtEnvironment}; owns its session options and session and closes
 * them in reverse order. Input and output names are read from the model and checked against the
 * manifest. {@link #embed} may be called from several threads (ONNX Runtime sessions are thread-safe).
 *
 * <p>Session settings: the given intra-op thread count, one inter-op thread, all graph
 * optimisations. A failure of ONNX Runtime while embedding is reported as an
 * {@link IllegalStateException}; calling {@link #embed} after {@link #close} too. Close the encoder
 * only once no {@link #embed} call is in flight.
 */
public final class Encoder implements AutoCloseable {

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final ImagePreprocessor preprocessor;
  private final String inputName;
  private final String outputName;
  private final int dimension;
  private final long[] imageShape;
  private volatile boolean closed;

  private Encoder(OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session,
      ModelManifest manifest, String inputName) {
    this.env = env;
    this.options = options;
    this.session = session;
    this.preprocessor = new ImagePreprocessor(manifest.input());
    this.inputName = inputName;
    this.outputName = manifest.output().tensorName();
    this.dimension = manifest.output().dimension();
    this.imageShape = new long[] {manifest.input().channels(), manifest.input().height(), manifest.input().width()};
  }

  /** Opens the encoder with ONNX Runtime's default intra-op thread count. */
  public static Encoder open(ModelBundle bundle) {
    return open(bundle, 0);
  }

  /**
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   */
  public static Encoder open(ModelBundle bundle, int intraOpThreads) {
    return open(bundle, intraOpThreads, ExecutionProvider.CPU);
  }

  /**
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   * @param provider where ONNX Runtime runs the encoder
   * @throws ExecutionProvider.UnavailableException when {@code provider} cannot be used here
   */
  public static Encoder open(ModelBundle bundle, int intraOpThreads, ExecutionProvider provider) {
    ModelManifest manifest = bundle.manifest();
    String file = bundle.encoderFile().toString();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = provider.sessionOptions(intraOpThreads);
    OrtSession session = null;
    try {
      session = env.createSession(file, options);
      Set<String> inputs = session.getInputNames();
      String expectedInput = manifest.input().tensorName();
      if (inputs.size() != 1 || !inputs.contains(expectedInput)) {
        throw new BundleValidationException(file, "input.tensorName",
            "model inputs are " + inputs + ", manifest says \"" + expectedInput + "\"");
      }
      Set<String> outputs = session.getOutputNames();
      if (!outputs.contains(manifest.output().tensorName())) {
        throw new BundleValidationException(file, "output.tensorName",
            "model outputs are " + outputs + ", manifest says \"" + manifest.output().tensorName() + "\"");
      }
      return new Encoder(env, options, session, manifest, inputs.iterator().next());
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      options.close();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new BundleValidationException(file, null, "ONNX Runtime cannot open the encoder: " + e.getMessage(), e);
    }
  }

  /** The preprocessor matching this encoder's input. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** Embedding dimension D. */
  public int dimension() {
    return dimension;
  }

  /**
   * Embeds {@code count} images.
   *
   * <p>{@code images}' position and limit are ignored and left unchanged; a direct native-order
   * buffer is handed to ONNX Runtime without a copy.
   *
   * @param images direct native-order buffer holding at least {@code count × C×H×W} floats from position 0
   * @return {@code count × D} floats, row-major (embedding i at offset {@code i × D})
   * @throws IllegalArgumentException when {@code count < 0}, the buffer's capacity is too small or
   *     a direct buffer is not in native byte order
   */
  public float[] embed(FloatBuffer images, int count) {
    if (closed) {
      throw new IllegalStateException("encoder is closed");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    if (count == 0) {
      return new float[0];
    }
    long needed = (long) count * preprocessor.floatsPerImage();
    if (images.capacity() < needed) {
      throw new IllegalArgumentException("batch buffer holds " + images.capacity() + " floats, "
          + count + " images need " + needed);
    }
    if (images.isDirect() && images.order() != ByteOrder.nativeOrder()) {
      // ONNX Runtime reads a direct buffer's memory as is; another byte order would give garbage.
      throw new IllegalArgumentException("a direct batch buffer must be in native byte order, was " + images.order());
    }
    FloatBuffer batch = images.duplicate();
    batch.position(0).limit((int) needed);
    long[] shape = {count, imageShape[0], imageShape[1], imageShape[2]};
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, batch, shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
      OnnxValue value = result.get(outputName)
          .orElseThrow(() -> new IllegalStateException("encoder returned no " + outputName));
      FloatBuffer output = ((OnnxTensor) value).getFloatBuffer();
      if (output.remaining() != count * dimension) {
        throw new IllegalStateException("encoder returned " + output.remaining() + " floats for "
            + count + " images of dimension " + dimension);
      }
      float[] embeddings = new float[count * dimension];
      output.get(embeddings);
      return embeddings;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to embed " + count + " images", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(session);
    options.close();
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing left to release on our side.
      }
    }
  }
}
