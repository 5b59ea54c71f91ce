package io.siamesestreams.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * Where ONNX Runtime runs the service's nets (the encoder and the face nets): the one place their
 * session options are made ({@link #sessionOptions}).
 *
 * <p>{@link #CUDA} needs ONNX Runtime's GPU build on the classpath ({@code
 * com.microsoft.onnxruntime:onnxruntime_gpu}, the Maven profile {@code -Pgpu}) and a machine with
 * an NVIDIA driver, CUDA 12 and cuDNN 9; otherwise opening a session fails with an
 * {@link UnavailableException} that names {@value #SETTING}. Nothing falls back to the CPU silently.
 */
public enum ExecutionProvider {
  /** ONNX Runtime's default CPU provider (the default build). */
  CPU,
  /** NVIDIA CUDA, device 0; nodes CUDA cannot run stay on the CPU (ONNX Runtime's own placement). */
  CUDA;

  /** The setting's key in a service config file ({@code --execution-provider} on the command line). */
  public static final String SETTING = "siamese.onnx.execution.provider";

  /** Thrown where the chosen provider is not usable on this machine or in this ONNX Runtime build. */
  public static final class UnavailableException extends IllegalStateException {
    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code cpu} or {@code cuda}, any case.
   *
   * @throws IllegalArgumentException naming {@value #SETTING} for any other value
   */
  public static ExecutionProvider parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(SETTING + " must be cpu or cuda, was \"" + value + "\"");
    }
  }

  /** The name as written in settings: {@code cpu} or {@code cuda}. */
  public String setting() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * New session options for this provider: {@code intraOpThreads} intra-op threads (0 = ONNX
   * Runtime's default, one per core), one inter-op thread, all graph optimisations. The caller owns
   * (and closes) them.
   *
   * @throws UnavailableException when this provider cannot be used here
   */
  public OrtSession.SessionOptions sessionOptions(int intraOpThreads) {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0, was " + intraOpThreads);
    }
    OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (this == CUDA) {
        requireAvailable();
        options.addCUDA(0);
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw new UnavailableException(SETTING + "=" + setting() + ": ONNX Runtime cannot use CUDA on this machine ("
          + e.getMessage() + "); it needs an NVIDIA driver, CUDA 12 and cuDNN 9, or set " + SETTING + "=cpu", e);
    } catch (RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /**
   * Checks that this ONNX Runtime build has the provider (cheap; does not touch a device).
   *
   * @throws UnavailableException naming {@value #SETTING} and the Maven profile when it has not
   */
  public void requireAvailable() {
    if (this == CPU) {
      return;
    }
    java.util.EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    if (!available.contains(OrtProvider.CUDA)) {
      throw new UnavailableException(SETTING + "=" + setting() + ": this build's ONNX Runtime has no CUDA execution"
          + " provider (it has " + available + "); build with the Maven profile -Pgpu (onnxruntime_gpu) and run on"
          + " a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9, or set " + SETTING + "=cpu", null);
    }
  }
}
