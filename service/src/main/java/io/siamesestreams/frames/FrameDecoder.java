package io.siamesestreams.frames;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Parses and validates a raw {@code frames} record (key and value bytes), in this order:
 * NULL_KEY, NULL_VALUE, RECORD_TOO_LARGE, NOT_JSON (not a JSON object), MISSING_FIELD:&lt;field&gt;
 * ({@code frameId}, {@code cameraId}, {@code image}: non-blank strings; {@code timestamp}: an
 * integer), INVALID_FIELD:&lt;field&gt; (e.g. a {@code faceBox} that is not a box; {@code aligned} with a
 * {@code faceBox}), INVALID_BASE64, then
 * the image, decoded once by the model's {@link FrameEmbedder} (the {@link InvalidImageException.Reason}
 * names of core's {@code ImagePreprocessor}: EMPTY_IMAGE, IMAGE_TOO_LARGE, UNDECODABLE_IMAGE,
 * IMAGE_DIMENSIONS_TOO_LARGE, WRONG_IMAGE_SIZE, WRONG_CHANNEL_COUNT).
 *
 * <p>Thread-safe as its embedder; the service keeps one per processor.
 */
public final class FrameDecoder {

  private final FrameEmbedder images;
  private final int maxRecordBytes;
  private final ObjectMapper mapper = JsonSerde.mapper();
  private final ServiceMetrics metrics;

  /**
   * @param images decodes the frame's image (the model's frame embedder)
   * @param maxRecordBytes values larger than this are RECORD_TOO_LARGE
   */
  public FrameDecoder(FrameEmbedder images, int maxRecordBytes) {
    this(images, maxRecordBytes, ServiceMetrics.disabled());
  }

  /** As above, timing the {@link ServiceMetrics.Stage#PARSE PARSE} and {@link ServiceMetrics.Stage#DECODE DECODE} stages. */
  public FrameDecoder(FrameEmbedder images, int maxRecordBytes, ServiceMetrics metrics) {
    this.images = images;
    this.maxRecordBytes = maxRecordBytes;
    this.metrics = metrics;
  }

  /** The outcome of decoding one record. */
  public sealed interface Result permits Valid, Invalid {}

  /** A valid frame with its image, decoded. */
  public record Valid(String key, Frame frame, FrameEmbedder.DecodedImage image) implements Result {}

  /**
   * An invalid record.
   *
   * @param reason a stable code (see {@link DeadLetters})
   * @param detail a sentence for people
   */
  public record Invalid(String reason, String detail) implements Result {}

  /** Validates the record and decodes its image. */
  public Result decode(byte[] key, byte[] value) {
    if (key == null) {
      return new Invalid(DeadLetters.NULL_KEY, "frames need a key (the camera id)");
    }
    if (value == null) {
      return new Invalid(DeadLetters.NULL_VALUE, "a tombstone is not a frame");
    }
    if (value.length > maxRecordBytes) {
      return new Invalid(DeadLetters.RECORD_TOO_LARGE,
          "value has " + value.length + " bytes, more than the limit of " + maxRecordBytes);
    }
    long parseStart = System.nanoTime();
    JsonNode json;
    try {
      json = mapper.readTree(value);
    } catch (IOException e) {
      return new Invalid(DeadLetters.NOT_JSON, "value is not JSON: " + message(e));
    }
    if (json == null || !json.isObject()) {
      return new Invalid(DeadLetters.NOT_JSON, "value is JSON but not an object");
    }
    for (String field : new String[] {"frameId", "cameraId", "image"}) {
      JsonNode node = json.get(field);
      if (node == null || !node.isTextual() || node.asText().isBlank()) {
        return new Invalid(DeadLetters.missingField(field), "field " + field + " must be a non-empty string");
      }
    }
    JsonNode timestamp = json.get("timestamp");
    if (timestamp == null || !timestamp.canConvertToLong() || !timestamp.isIntegralNumber()) {
      return new Invalid(DeadLetters.missingField("timestamp"), "field timestamp must be an integer (epoch ms)");
    }
    Frame frame;
    try {
      frame = mapper.treeToValue(json, Frame.class);
    } catch (JsonProcessingException e) {
      String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
          ? m.getPath().get(0).getFieldName() : "?";
      return new Invalid(DeadLetters.invalidField(field), "field " + field + " has the wrong shape: " + message(e));
    }
    if (frame.isAligned() && frame.faceBox() != null) {
      return new Invalid(DeadLetters.invalidField("aligned"),
          "aligned and faceBox exclude each other: an aligned frame is one face chip, the whole image");
    }
    byte[] image;
    try {
      image = Base64.getDecoder().decode(frame.image());
    } catch (IllegalArgumentException e) {
      return new Invalid(DeadLetters.INVALID_BASE64, "image is not base64: " + e.getMessage());
    }
    long decodeStart = System.nanoTime();
    metrics.stage(ServiceMetrics.Stage.PARSE, decodeStart - parseStart);
    FrameEmbedder.DecodedImage decoded;
    try {
      decoded = images.decode(image);
    } catch (InvalidImageException e) {
      return new Invalid(e.reason().name(), e.getMessage());
    } finally {
      metrics.stage(ServiceMetrics.Stage.DECODE, System.nanoTime() - decodeStart);
    }
    return new Valid(new String(key, StandardCharsets.UTF_8), frame, decoded);
  }

  private static String message(Exception e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
