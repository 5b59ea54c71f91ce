package io.siamesestreams.faces.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.siamesestreams.onnx.ExecutionProvider;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX net with one float input and one float output, run by ONNX Runtime: the face nets'
 * shared session handling (session options from {@link ExecutionProvider#sessionOptions}, the one
 * place they are made). Uses the JVM's one {@code OrtEnvironment}; owns its session options and
 * session and closes them in reverse order.
 *
 * <p>Thread-safe ({@link #run} may be called concurrently).
 */
public final class OnnxModel implements AutoCloseable {

  /**
   * One run's output.
   *
   * @param shape the output tensor's shape
   * @param values its values, row-major
   */
  public record Output(long[] shape, float[] values) {}

  private final String name;
  private final String inputTensor;
  private final String outputTensor;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private volatile boolean closed;

  private OnnxModel(String name, String inputTensor, String outputTensor, OrtEnvironment env,
      OrtSession.SessionOptions options, OrtSession session) {
    this.name = name;
    this.inputTensor = inputTensor;
    this.outputTensor = outputTensor;
    this.env = env;
    this.options = options;
    this.session = session;
  }

  /**
   * Opens {@code model} on the CPU with one inter-op thread and all graph optimisations, and checks that it
   * has the input and output its manifest names.
   *
   * @param name what the net is, for messages (e.g. {@code face detector})
   * @param manifestFile the manifest that names the tensors, for messages
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   * @throws IllegalArgumentException when the file is missing, ONNX Runtime cannot open it, or its
   *     tensors are not the named ones
   */
  public static OnnxModel open(Path model, String name, String inputTensor, String outputTensor, String manifestFile,
      int intraOpThreads) {
    return open(model, name, inputTensor, outputTensor, manifestFile, intraOpThreads, ExecutionProvider.CPU);
  }

  /**
   * As above, run by {@code provider}.
   *
   * @throws ExecutionProvider.UnavailableException when {@code provider} cannot be used here
   */
  public static OnnxModel open(Path model, String name, String inputTensor, String outputTensor, String manifestFile,
      int intraOpThreads, ExecutionProvider provider) {
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException(name + " model not found: " + model);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = provider.sessionOptions(intraOpThreads);
    try {
      OrtSession session = env.createSession(model.toString(), options);
      if (!session.getInputNames().contains(inputTensor) || !session.getOutputNames().contains(outputTensor)) {
        session.close();
        throw new IllegalArgumentException(model + ": tensors are " + session.getInputNames() + " → "
            + session.getOutputNames() + ", " + manifestFile + " says " + inputTensor + " → " + outputTensor);
      }
      return new OnnxModel(name, inputTensor, outputTensor, env, options, session);
    } catch (OrtException e) {
      options.close();
      throw new IllegalArgumentException("ONNX Runtime cannot open " + model + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the net on one tensor of {@code shape} read from {@code input} (from its position; a
   * direct native-order buffer avoids a copy).
   *
   * @throws IllegalStateException when closed, or when ONNX Runtime fails
   */
  public Output run(FloatBuffer input, long[] shape) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
        OrtSession.Result result = session.run(Map.of(inputTensor, tensor), Set.of(outputTensor))) {
      OnnxTensor output = (OnnxTensor) result.get(outputTensor)
          .orElseThrow(() -> new IllegalStateException(name + " returned no " + outputTensor));
      FloatBuffer values = output.getFloatBuffer();
      float[] copy = new float[values.remaining()];
      values.get(copy);
      return new Output(output.getInfo().getShape(), copy);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to run the " + name, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      // Nothing left to release on our side.
    }
    options.close();
  }
}
