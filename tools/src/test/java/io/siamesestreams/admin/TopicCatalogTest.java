package io.siamesestreams.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicCatalogTest {

  private static final Path REPOSITORY_TOPICS = Path.of("..", "topics");

  @Test
  void shouldDeclareEveryTopicWithItsCleanupPolicyAndSchema() {
    TopicCatalog catalog = TopicCatalog.load(REPOSITORY_TOPICS);

    assertThat(catalog.specs()).extracting(TopicSpec::name).containsExactlyElementsOf(TopicCatalog.ROLES);
    assertThat(catalog.spec(Topics.DEFAULT_IDENTITIES).cleanupPolicy()).isEqualTo("compact");
    assertThat(catalog.spec(Topics.DEFAULT_IDENTITY_TEMPLATES).cleanupPolicy()).isEqualTo("compact");
    assertThat(catalog.spec(Topics.DEFAULT_FRAMES).cleanupPolicy()).isEqualTo("delete");
    for (TopicSpec spec : catalog.specs()) {
      String schema = spec.valueSchema() != null ? spec.valueSchema() : spec.headersSchema();
      assertThat(REPOSITORY_TOPICS.resolve(schema)).as(spec.name() + " schema").isRegularFile();
    }
  }

  @Test
  void shouldShipTheRepositoryDefinitionsInTheJar() {
    assertThat(TopicCatalog.bundled().specs()).isEqualTo(TopicCatalog.load(REPOSITORY_TOPICS).specs());
  }

  @Test
  void shouldUseTheConfiguredTopicNames() {
    Topics topics = Topics.defaults().withOverrides(Map.of(Topics.FRAMES_CONFIG, "site-a.frames"));

    TopicCatalog renamed = TopicCatalog.bundled().renamed(topics);

    assertThat(renamed.spec(Topics.DEFAULT_FRAMES).name()).isEqualTo("site-a.frames");
    assertThat(renamed.spec(Topics.DEFAULT_FRAMES).partitions())
        .isEqualTo(TopicCatalog.bundled().spec(Topics.DEFAULT_FRAMES).partitions());
    assertThat(renamed.spec(Topics.DEFAULT_MATCH_EVENTS).name()).isEqualTo("match-events");
  }

  @Test
  void shouldRejectATopicFileWithAnUnknownField(@TempDir Path dir) throws Exception {
    for (String role : TopicCatalog.ROLES) {
      Files.copy(REPOSITORY_TOPICS.resolve(role + ".json"), dir.resolve(role + ".json"));
    }
    Files.writeString(
        dir.resolve("frames.json"),
        Files.readString(dir.resolve("frames.json")).replace("\"partitions\"", "\"partitons\""));

    assertThatThrownBy(() -> TopicCatalog.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frames.json");
  }
}
