package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.SiameseService;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changelog of the frame buffer holds camera frames (passers-by included): the service creates
 * it with hourly segments and {@code max.compaction.lag.ms}, so processed frames are compacted out
 * within hours while frames flow, not after Kafka's 7-day / 1 GB default segment.
 */
class ChangelogRetentionIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  @Test
  void shouldCreateTheFrameBufferChangelogWithHourlySegmentsAndCompaction() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "changelog-", 1);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    try (SiameseService service = SiameseService.start(
        ReliabilityFixtures.settings(bootstrap, bundle, topics, "changelog-app", dir.resolve("state")))) {
      service.awaitRunning(ReliabilityFixtures.WAIT);
      String changelog = "changelog-app-" + Topics.FRAME_BUFFER_STORE + "-changelog";
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("segment.ms").value()).isEqualTo("3600000");
        assertThat(config.get("max.compaction.lag.ms").value()).isEqualTo("3600000");
      }
    }
  }
}
