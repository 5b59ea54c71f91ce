package io.siamesestreams.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one JSON value type (records included), on Jackson.
 *
 * <p>Unknown JSON properties are ignored so that producers in other languages may add fields.
 * A {@code null} value (tombstone) maps to {@code null} both ways. A value that is not valid JSON
 * for {@code T} throws {@link SerializationException} from {@link Deserializer#deserialize}, which
 * Kafka Streams hands to its deserialization exception handler (dead-lettered by
 * {@link DeadLetterExceptionHandlers.Deserialization}).
 */
public final class JsonSerde<T> implements Serde<T> {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> JsonSerde<T> of(Class<T> type) {
    return new JsonSerde<>(type);
  }

  /** The mapper all project serdes share (lenient on unknown properties). Thread-safe. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public Class<T> type() {
    return type;
  }

  /** Serialises {@code value} to UTF-8 JSON; null stays null. */
  public byte[] toBytes(T value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot serialise " + type.getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Parses UTF-8 JSON; null stays null.
   *
   * @throws SerializationException when the bytes are not JSON for {@code T}
   */
  public T fromBytes(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new SerializationException(
          "not a JSON " + type.getSimpleName() + ": "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> toBytes(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> fromBytes(bytes);
  }
}
