package io.siamesestreams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.admin.TopicsApplier.Outcome;
import io.siamesestreams.admin.TopicsApplier.Result;
import io.siamesestreams.testing.KafkaTestCluster;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** {@link TopicsApplier} against a real broker; {@link EmbeddedTopicsApplierIT} and {@link ContainerTopicsApplierIT} supply it. */
abstract class TopicsApplierContract {

  protected abstract KafkaTestCluster cluster();

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster().bootstrapServers()));
  }

  @Test
  void shouldCreateEveryTopicOnceAndThenReportThemOk() throws Exception {
    TopicCatalog catalog = TopicCatalog.bundled().renamed(Topics.prefixed("idem-"));
    try (Admin admin = admin()) {
      TopicsApplier applier = new TopicsApplier(admin, Duration.ofSeconds(30));

      List<Result> first = applier.apply(catalog.specs());
      List<Result> second = applier.apply(catalog.specs());

      assertThat(first).extracting(Result::outcome).containsOnly(Outcome.CREATED).hasSize(5);
      assertThat(second).extracting(Result::outcome).containsOnly(Outcome.OK).hasSize(5);
      assertThat(second)
          .extracting(Result::topic)
          .containsExactly("idem-frames", "idem-identities", "idem-identity-templates", "idem-match-events",
              "idem-frames-dlq");

      ConfigResource identities = new ConfigResource(ConfigResource.Type.TOPIC, "idem-identities");
      Config config = admin.describeConfigs(List.of(identities)).all().get().get(identities);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(admin.describeTopics(List.of("idem-frames")).allTopicNames().get().get("idem-frames").partitions())
          .hasSize(catalog.spec(Topics.DEFAULT_FRAMES).partitions());
    }
  }

  @Test
  void shouldReportAnExistingTopicThatDiffersWithoutChangingIt() throws Exception {
    KafkaTestSupport.createTopics(cluster().bootstrapServers(), KafkaTestSupport.topic("odd-frames", 1));
    TopicSpec frames = TopicCatalog.bundled().spec(Topics.DEFAULT_FRAMES).named("odd-frames");
    try (Admin admin = admin()) {
      List<Result> results = new TopicsApplier(admin, Duration.ofSeconds(30)).apply(List.of(frames));

      assertThat(results).singleElement().satisfies(result -> {
        assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(result.differences())
            .contains("partitions: declared " + frames.partitions() + ", actual 1")
            .anyMatch(line -> line.startsWith("retention.ms: declared " + frames.retentionMs()));
      });
      assertThat(TopicsApplier.allConsistent(results)).isFalse();
      assertThat(admin.describeTopics(List.of("odd-frames")).allTopicNames().get().get("odd-frames").partitions())
          .hasSize(1);
    }
  }
}
