package io.siamesestreams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Validates JSON against the repository's {@code topics/schemas/*.json} (JSON Schema draft 2020-12)
 * with networknt's json-schema-validator, so tests check what goes on the wire against what other
 * clients are promised.
 */
public final class TopicSchemas {

  public static final Path DIRECTORY = Path.of("..", "topics", "schemas");
  public static final String FRAME = "frame.schema.json";
  public static final String IDENTITY = "identity.schema.json";
  public static final String IDENTITY_TEMPLATES = "identity-templates.schema.json";
  public static final String MATCH_EVENT = "match-event.schema.json";
  public static final String DEAD_LETTER_HEADERS = "dead-letter-headers.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private TopicSchemas() {}

  /** The schema file {@code name} of {@link #DIRECTORY}. */
  public static JsonSchema schema(String name) {
    try {
      return FACTORY.getSchema(Files.readString(DIRECTORY.resolve(name), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The violations of {@code json} against schema {@code name}; empty when it conforms. */
  public static List<String> violations(String name, byte[] json) {
    try {
      return violations(name, MAPPER.readTree(json));
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  public static List<String> violations(String name, JsonNode json) {
    return schema(name).validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Kafka headers as the JSON object {@link #DEAD_LETTER_HEADERS} describes (last value per name, UTF-8). */
  public static ObjectNode headersAsJson(Headers headers) {
    ObjectNode node = MAPPER.createObjectNode();
    for (Header header : headers) {
      node.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return node;
  }
}
