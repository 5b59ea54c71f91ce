package io.siamesestreams.api;

/** A request the API refuses, answered with its {@link Problem} (never a stack trace). */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final String title;

  /**
   * @param status the HTTP status (4xx, or 503 when Kafka does not answer)
   * @param code the problem's stable code
   * @param title the code's short summary
   * @param detail what went wrong with this request
   */
  public ApiException(int status, String code, String title, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The problem for the request at {@code instance}. */
  public Problem problem(String instance) {
    return Problem.of(status, code, title, getMessage(), instance);
  }

  /**
   * The refusal of input the stream would dead-letter with {@code reason} ({@code
   * io.siamesestreams.records.DeadLetters} and the image reasons): 413 for what is too large, 422 for
   * an image that is not one the model can take, 400 for the rest.
   */
  public static ApiException invalidInput(String reason, String detail) {
    String base = reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason;
    return switch (base) {
      case "RECORD_TOO_LARGE", "IMAGE_TOO_LARGE", "IMAGE_DIMENSIONS_TOO_LARGE" ->
          new ApiException(413, reason, "Too large", detail);
      case "EMPTY_IMAGE", "UNDECODABLE_IMAGE", "WRONG_IMAGE_SIZE", "WRONG_CHANNEL_COUNT", "NO_VALID_IMAGES" ->
          new ApiException(422, reason, "Unusable image", detail);
      default -> new ApiException(400, reason, "Bad request", detail);
    };
  }
}
