package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.identity.IdentityTemplates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldUseTheDocumentedDefaultNames() {
    assertThat(Topics.defaults().names())
        .containsExactly("frames", "identities", "identity-templates", "match-events", "frames-dlq");
  }

  @Test
  void shouldOverrideOnlyTheNamesPresentInTheConfiguration() {
    Properties config = new Properties();
    config.put(Topics.FRAMES_CONFIG, "cam-frames");
    config.put(Topics.FRAMES_DLQ_CONFIG, " cam-dlq ");
    config.put("bootstrap.servers", "x:1");

    Topics topics = Topics.defaults().withOverrides(config);

    assertThat(topics.names()).containsExactly("cam-frames", "identities", "identity-templates", "match-events", "cam-dlq");
    assertThat(Topics.prefixed("t-").matchEvents().name()).isEqualTo("t-match-events");
    assertThat(Topics.defaults().withOverrides(Map.of())).isEqualTo(Topics.defaults());
  }

  @Test
  void shouldRoundTripValuesThroughTheirJsonSerdes() {
    MatchEvent event = new MatchEvent("f", "c", 1L, Mode.IDENTIFY, Decision.MATCH, "a", 0.25, 0.9, 0.5,
        List.of(new MatchEvent.Candidate("a", 0.25)), "m", "v", 2L);
    IdentityTemplates templates = new IdentityTemplates("a", null, "m", "v", List.of(new float[] {0.5f, -1f}), 3L);

    assertThat(Topics.MATCH_EVENT_SERDE.fromBytes(Topics.MATCH_EVENT_SERDE.toBytes(event))).isEqualTo(event);
    IdentityTemplates back = Topics.TEMPLATES_SERDE.fromBytes(Topics.TEMPLATES_SERDE.toBytes(templates));
    assertThat(back.templates().get(0)).containsExactly(0.5f, -1f);
    assertThat(back.dimension()).isEqualTo(2);
    assertThat(Topics.MATCH_EVENT_SERDE.toBytes(null)).isNull();
    assertThat(Topics.MATCH_EVENT_SERDE.fromBytes(null)).isNull();
  }

  @Test
  void shouldReadTemplatesWrittenBeforeThumbnailsAsTemplatesWithoutOne() {
    byte[] old = "{\"identityId\":\"a\",\"modelId\":\"m\",\"modelVersion\":\"v\",\"templates\":[[0.5,-1.0]],\"updatedAt\":3}"
        .getBytes(StandardCharsets.UTF_8);
    IdentityTemplates withThumbnail = new IdentityTemplates("a", null, "m", "v", List.of(new float[] {1f}), 3L, "/9j/");

    assertThat(Topics.TEMPLATES_SERDE.fromBytes(old).thumbnail()).isNull();
    assertThat(Topics.TEMPLATES_SERDE.fromBytes(old).dimension()).isEqualTo(2);
    assertThat(Topics.TEMPLATES_SERDE.fromBytes(Topics.TEMPLATES_SERDE.toBytes(withThumbnail)).thumbnail())
        .isEqualTo("/9j/");
  }

  @Test
  void shouldWriteNullFieldsOfAMatchEventAsAbsent() {
    MatchEvent unknown = new MatchEvent("f", "c", 1L, Mode.VERIFY, Decision.UNKNOWN_IDENTITY, "bob", null, null, 0.5,
        List.of(), "m", "v", 2L);

    String json = new String(Topics.MATCH_EVENT_SERDE.toBytes(unknown), StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("distance").doesNotContain("probability").contains("\"UNKNOWN_IDENTITY\"");
  }

  @Test
  void shouldThrowASerializationExceptionForBytesThatAreNotJsonOfTheType() {
    assertThatThrownBy(() -> Topics.FRAME_SERDE.deserializer().deserialize("frames", new byte[] {'{', 'x'}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("Frame");
  }
}
