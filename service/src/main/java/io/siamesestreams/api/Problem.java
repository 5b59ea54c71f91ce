package io.siamesestreams.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * An RFC 9457 problem body ({@code application/problem+json}), the answer to every 4xx and 5xx of
 * the API.
 *
 * @param type {@code urn:siamese-streams:problem:<code in lower case>}
 * @param title a short summary, the same for every occurrence of the code
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param instance the request's path
 * @param code a stable code: the stream's dead-letter reason where the same check failed
 *     ({@code UNDECODABLE_IMAGE}, {@code RECORD_TOO_LARGE}, {@code MISSING_FIELD:image}…), else the
 *     API's own ({@code UNAUTHORIZED}, {@code FORBIDDEN}, {@code NOT_FOUND}, {@code UNSUPPORTED_MEDIA_TYPE}…)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String code) {

  public static final String CONTENT_TYPE = "application/problem+json";

  /** A problem of {@code code} with the given status and detail. */
  public static Problem of(int status, String code, String title, String detail, String instance) {
    String slug = code.toLowerCase(Locale.ROOT).replace(':', '-').replace('_', '-');
    return new Problem("urn:siamese-streams:problem:" + slug, title, status, detail, instance, code);
  }
}
