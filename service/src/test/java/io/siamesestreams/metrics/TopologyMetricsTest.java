package io.siamesestreams.metrics;

import io.siamesestreams.config.ServiceConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.SiameseTopology;
import io.siamesestreams.topology.Topics;
import io.siamesestreams.topology.TestTopologySettings;
import io.siamesestreams.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology's processors record into the {@link ServiceMetrics} they are given. */
class TopologyMetricsTest {

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] frameJson(String frameId, String claim) {
    return utf8("{\"frameId\":\"" + frameId + "\",\"cameraId\":\"cam-1\",\"timestamp\":" + START.toEpochMilli()
        + ",\"image\":\"" + TestBundles.identityImageBase64(1, 0) + "\""
        + (claim == null ? "" : ",\"claimedIdentity\":\"" + claim + "\"") + "}");
  }

  @Test
  void shouldCountConsumedEmbeddedDeadLetteredFramesAndEventsByDecisionAndMode(@TempDir Path dir) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LoadedModel model = LoadedModel.open(TestBundles.write(dir.resolve("bundle")), 1)) {
      TopologySettings settings = TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 2, ServiceConfig.MAX_WAIT_MS, 50));
      SiameseTopology siamese = SiameseTopology.create(settings, model, ServiceMetrics.on(registry));
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-topology-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
      try (TopologyTestDriver driver = new TopologyTestDriver(siamese.topology(), props, START)) {
        TestInputTopic<byte[], byte[]> frames = driver.createInputTopic(Topics.DEFAULT_FRAMES,
            Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), START, Duration.ofMillis(1));
        TestInputTopic<byte[], byte[]> identities = driver.createInputTopic(Topics.DEFAULT_IDENTITIES,
            Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), START, Duration.ofMillis(1));

        // Empty gallery: a claim is UNKNOWN_IDENTITY (VERIFY), no claim is NO_MATCH (IDENTIFY).
        frames.pipeInput(utf8("cam-1"), frameJson("f-1", "alice"));
        frames.pipeInput(utf8("cam-1"), frameJson("f-2", null));
        frames.pipeInput(utf8("cam-1"), frameJson("f-3", null));
        frames.pipeInput(utf8("cam-1"), frameJson("f-1", "alice"));
        frames.pipeInput(utf8("cam-1"), utf8("not json"));
        driver.advanceWallClockTime(Duration.ofMillis(200));
        identities.pipeInput(utf8("bob"), utf8("{\"identityId\":\"alice\",\"images\":[]}"));
      }
    }

    assertThat(registry.get("siamese.frames.consumed").counter().count()).isEqualTo(5.0);
    assertThat(registry.get("siamese.frames.embedded").counter().count()).isEqualTo(3.0);
    assertThat(registry.get("siamese.embedding.batch.size").summary().count()).isEqualTo(2);
    assertThat(registry.get("siamese.embedding.batch.size").summary().totalAmount()).isEqualTo(3.0);
    assertThat(registry.get("siamese.match.events").tags("decision", "UNKNOWN_IDENTITY", "mode", "VERIFY")
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("siamese.match.events").tags("decision", "NO_MATCH", "mode", "IDENTIFY")
        .counter().count()).isEqualTo(2.0);
    assertThat(registry.get("siamese.end.to.end.latency").timer().count()).isEqualTo(3);
    assertThat(registry.get("siamese.dead.letters").tags("input", "frames", "reason", DeadLetters.DUPLICATE_FRAME_ID)
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("siamese.dead.letters").tags("input", "frames", "reason", DeadLetters.NOT_JSON)
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("siamese.dead.letters").tags("input", "identities", "reason", DeadLetters.KEY_MISMATCH)
        .counter().count()).isEqualTo(1.0);
    // Every stage of the frame path was timed: the cost split per frame operators (and the bench) read.
    for (ServiceMetrics.Stage stage : ServiceMetrics.Stage.values()) {
      assertThat(registry.get("siamese.frame.stage.seconds").tags("stage", stage.tag()).functionCounter().count())
          .as(stage.tag()).isPositive();
    }
  }
}
