package io.siamesestreams.records;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: records the service cannot process, written to the DLQ topic with their original
 * key and value bytes unchanged and these headers (UTF-8 strings):
 *
 * <ul>
 *   <li>{@value #REASON_HEADER}: a stable code, one of the constants below (MISSING_FIELD carries the
 *       field: {@code MISSING_FIELD:image}), or an {@code InvalidImageException.Reason} name;
 *   <li>{@value #DETAIL_HEADER}: a sentence for people;
 *   <li>{@value #SOURCE_TOPIC_HEADER}, {@value #SOURCE_PARTITION_HEADER}, {@value #SOURCE_OFFSET_HEADER}:
 *       where the record came from ({@code frames} or {@code identities}).
 * </ul>
 *
 * The original record's headers are kept as well.
 */
public final class DeadLetters {
  private DeadLetters() {}

  public static final String REASON_HEADER = "reason";
  public static final String DETAIL_HEADER = "reason.detail";
  public static final String SOURCE_TOPIC_HEADER = "source.topic";
  public static final String SOURCE_PARTITION_HEADER = "source.partition";
  public static final String SOURCE_OFFSET_HEADER = "source.offset";

  /** The value is not UTF-8 JSON, or not a JSON object. */
  public static final String NOT_JSON = "NOT_JSON";
  /** A required field is absent, null or of the wrong JSON type; the code is {@code MISSING_FIELD:<field>}. */
  public static final String MISSING_FIELD = "MISSING_FIELD";
  /** A field of the wrong shape (e.g. a {@code faceBox} that is no box); code {@code INVALID_FIELD:<field>}. */
  public static final String INVALID_FIELD = "INVALID_FIELD";
  /** The record has no key (frames: camera id; identities: identity id). */
  public static final String NULL_KEY = "NULL_KEY";
  /** The value is a tombstone where a tombstone means nothing (frames). */
  public static final String NULL_VALUE = "NULL_VALUE";
  /** {@code image} is not valid base64. */
  public static final String INVALID_BASE64 = "INVALID_BASE64";
  /** The serialised record is larger than the configured maximum. */
  public static final String RECORD_TOO_LARGE = "RECORD_TOO_LARGE";
  /** An enrolment's {@code identityId} differs from its record key. */
  public static final String KEY_MISMATCH = "KEY_MISMATCH";
  /** An enrolment without any decodable image. */
  public static final String NO_VALID_IMAGES = "NO_VALID_IMAGES";
  /** A frame whose {@code frameId} was already seen on the same camera key within the de-duplication window. */
  public static final String DUPLICATE_FRAME_ID = "DUPLICATE_FRAME_ID";
  /** An unexpected failure while processing the record (see the detail). */
  public static final String PROCESSING_ERROR = "PROCESSING_ERROR";
  /** The record could not be deserialised by Kafka Streams (see the detail). */
  public static final String DESERIALIZATION_ERROR = "DESERIALIZATION_ERROR";

  /** {@code MISSING_FIELD:<field>}. */
  public static String missingField(String field) {
    return MISSING_FIELD + ":" + field;
  }

  /** {@code INVALID_FIELD:<field>}. */
  public static String invalidField(String field) {
    return INVALID_FIELD + ":" + field;
  }

  /**
   * The headers of a dead letter: {@code original}'s headers plus reason, detail and, when
   * {@code sourceTopic} is not null, the source topic (and partition and offset when not negative).
   */
  public static Headers headers(Headers original, String reason, String detail, String sourceTopic, int partition,
      long offset) {
    RecordHeaders headers = new RecordHeaders();
    if (original != null) {
      original.forEach(headers::add);
    }
    headers.remove(REASON_HEADER);
    headers.remove(DETAIL_HEADER);
    headers.add(REASON_HEADER, utf8(reason));
    headers.add(DETAIL_HEADER, utf8(detail == null ? reason : detail));
    if (sourceTopic != null) {
      headers.remove(SOURCE_TOPIC_HEADER);
      headers.remove(SOURCE_PARTITION_HEADER);
      headers.remove(SOURCE_OFFSET_HEADER);
      headers.add(SOURCE_TOPIC_HEADER, utf8(sourceTopic));
      if (partition >= 0) {
        headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(partition)));
      }
      if (offset >= 0) {
        headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(offset)));
      }
    }
    return headers;
  }

  /** The value of the last header named {@code name} as UTF-8, or null. */
  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
