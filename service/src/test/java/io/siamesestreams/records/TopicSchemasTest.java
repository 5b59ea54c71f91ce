package io.siamesestreams.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.testing.TopicSchemas;
import io.siamesestreams.topology.Topics;
import java.nio.file.Files;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schemas under topics/schemas are valid draft 2020-12 and describe what the code writes. */
class TopicSchemasTest {

  private static final String PNG_BASE64 = "iVBORw0KGgo=";

  @ParameterizedTest
  @ValueSource(strings = {TopicSchemas.FRAME, TopicSchemas.IDENTITY, TopicSchemas.IDENTITY_TEMPLATES,
      TopicSchemas.MATCH_EVENT, TopicSchemas.DEAD_LETTER_HEADERS})
  void shouldBeAValidDraft202012Schema(String name) throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Files.readString(TopicSchemas.DIRECTORY.resolve(name)));
    var metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    assertThat(metaSchema.validate(schema)).isEmpty();
    assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void shouldAcceptFramesAsTheGatewaysWriteThem() {
    byte[] claimed = Topics.FRAME_SERDE.toBytes(new Frame("f-1", "cam-1", 1_700_000_000_000L, PNG_BASE64, "alice",
        FaceBox.ofPixels(1, 2, 20, 20)));
    byte[] unclaimed = Topics.FRAME_SERDE.toBytes(new Frame("f-2", "cam-1", 1_700_000_000_000L, PNG_BASE64, null, null));
    byte[] alignedChip = Topics.FRAME_SERDE.toBytes(new Frame("f-3", "cam-1", 1_700_000_000_000L, PNG_BASE64, null,
        null, true));

    assertThat(TopicSchemas.violations(TopicSchemas.FRAME, claimed)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.FRAME, unclaimed)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.FRAME, alignedChip)).isEmpty();
    assertThat(new String(unclaimed, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("aligned");
  }

  @Test
  void shouldRejectAFrameWithoutImageOrWithATextTimestamp() {
    assertThat(TopicSchemas.violations(TopicSchemas.FRAME,
        "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":1}".getBytes()))
        .singleElement().asString().contains("image");
    assertThat(TopicSchemas.violations(TopicSchemas.FRAME,
        "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":\"now\",\"image\":\"x\"}".getBytes()))
        .singleElement().asString().contains("timestamp");
  }

  @Test
  void shouldAcceptEnrolmentsTemplatesAndEventsAsTheCodeWritesThem() {
    byte[] enrollment = Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("alice", "Alice", List.of(PNG_BASE64)));
    byte[] templates = Topics.TEMPLATES_SERDE.toBytes(new IdentityTemplates("alice", "Alice", "m", "v1",
        List.of(new float[] {0.6f, 0.8f}, new float[] {1f, 0f}), 1_700_000_000_000L));
    byte[] verify = Topics.MATCH_EVENT_SERDE.toBytes(new MatchEvent("f-1", "cam-1", 1L, Mode.VERIFY, Decision.MATCH,
        "alice", 0.12, 0.97, 0.5, List.of(), "m", "v1", 2L));
    byte[] identify = Topics.MATCH_EVENT_SERDE.toBytes(new MatchEvent("f-2", "cam-1", 1L, Mode.IDENTIFY,
        Decision.NO_MATCH, "bob", 0.9, 0.2, 0.5, List.of(new MatchEvent.Candidate("bob", 0.9)), "m", "v1", 2L));
    byte[] unknown = Topics.MATCH_EVENT_SERDE.toBytes(new MatchEvent("f-3", "cam-1", 1L, Mode.VERIFY,
        Decision.UNKNOWN_IDENTITY, "carol", null, null, 0.5, List.of(), "m", "v1", 2L));

    assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY, enrollment)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY_TEMPLATES, templates)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.MATCH_EVENT, verify)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.MATCH_EVENT, identify)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.MATCH_EVENT, unknown)).isEmpty();
  }

  @Test
  void shouldAcceptTemplatesWithAThumbnailAndLeaveAnAbsentOneOutOfTheJson() throws Exception {
    byte[] withThumbnail = Topics.TEMPLATES_SERDE.toBytes(new IdentityTemplates("alice", null, "m", "v1",
        List.of(new float[] {1f, 0f}), 1L, "/9j/4AAQ"));
    byte[] without = Topics.TEMPLATES_SERDE.toBytes(new IdentityTemplates("alice", null, "m", "v1",
        List.of(new float[] {1f, 0f}), 1L));

    assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY_TEMPLATES, withThumbnail)).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY_TEMPLATES, without)).isEmpty();
    assertThat(new ObjectMapper().readTree(without).has("thumbnail")).isFalse();
    assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY_TEMPLATES, ("{\"identityId\":\"a\",\"modelId\":\"m\","
        + "\"modelVersion\":\"v\",\"templates\":[[1]],\"updatedAt\":1,\"thumbnail\":7}").getBytes()))
        .singleElement().asString().contains("thumbnail");
  }

  @Test
  void shouldAcceptDeadLetterHeadersAsTheServiceWritesThem() {
    var headers = DeadLetters.headers(new RecordHeaders(), DeadLetters.missingField("image"), "no image", "frames", 2, 41L);
    var badReason = DeadLetters.headers(new RecordHeaders(), "not a code", "x", "frames", 0, 0L);

    assertThat(TopicSchemas.violations(TopicSchemas.DEAD_LETTER_HEADERS, TopicSchemas.headersAsJson(headers))).isEmpty();
    assertThat(TopicSchemas.violations(TopicSchemas.DEAD_LETTER_HEADERS, TopicSchemas.headersAsJson(badReason)))
        .isNotEmpty();
  }
}
