package io.siamesestreams.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The project's one Jackson configuration (ISO-8601 instants, records, indented output on request).
 *
 * <p>Reading is strict: unknown properties, duplicate keys, trailing content, a {@code null} or
 * missing value for a primitive record component, and numbers written as strings ({@code "1.5"})
 * all fail. The bare non-standard tokens {@code NaN} and {@code Infinity} are rejected. Jackson
 * writes a non-finite double as the string {@code "NaN"} / {@code "Infinity"} and reads that string
 * back (so a record holding NaN round-trips); fields that must be finite, such as the manifest's
 * threshold, are checked by their validator ({@code ModelBundle}). Instants are written as
 * ISO-8601 text ({@code 2026-01-02T03:04:05Z}), never as numeric timestamps. For indented output
 * use {@code Json.mapper().writerWithDefaultPrettyPrinter()}.
 */
public final class Json {
  private static final ObjectMapper MAPPER = create();

  private Json() {}

  /** The shared, thread-safe mapper. Unknown properties fail, so typos in model.json are caught. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    // Jackson would otherwise read the JSON string "1.5" as the number 1.5 (and "1" as 1).
    mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper;
  }
}
