package io.siamesestreams.bundle;

/**
 * A model bundle is unusable. The message always names the file and the field, e.g.
 * {@code models/x/model.json: input.channels: must be 1 or 3, was 4}.
 */
public class BundleValidationException extends RuntimeException {
  private final String file;
  private final String field;

  /**
   * @param file the bundle file at fault (path as given, e.g. {@code models/x/encoder.onnx})
   * @param field the manifest field or model property at fault, e.g. {@code input.tensorName}; may be null
   * @param problem what is wrong and, where known, what was found
   */
  public BundleValidationException(String file, String field, String problem) {
    this(file, field, problem, null);
  }

  public BundleValidationException(String file, String field, String problem, Throwable cause) {
    super(file + ": " + (field == null ? "" : field + ": ") + problem, cause);
    this.file = file;
    this.field = field;
  }

  public String file() {
    return file;
  }

  public String field() {
    return field;
  }
}
