package io.siamesestreams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.testing.TestBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceMetricsTest {

  private static MatchEvent event(Decision decision, Mode mode, long frameTimestamp, long processedAt) {
    return new MatchEvent("frame-1", "camera-secret-7", frameTimestamp, mode, decision, "identity-secret-42", 0.1,
        0.9, 0.5, List.of(new MatchEvent.Candidate("identity-secret-42", 0.1)), "m", "v1", processedAt);
  }

  @Test
  void shouldCountFramesEventsAndDeadLettersWithLowCardinalityTagsOnly() {
    try (ServiceMetrics metrics = ServiceMetrics.prometheus()) {
      metrics.frameConsumed();
      metrics.frameConsumed();
      metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, "MISSING_FIELD:image");
      metrics.deadLettered(ServiceMetrics.INPUT_IDENTITIES, "KEY_MISMATCH");
      metrics.matchEvent(event(Decision.MATCH, Mode.VERIFY, 1_000, 1_250));
      metrics.matchEvent(event(Decision.NO_MATCH, Mode.IDENTIFY, 1_000, 1_100));
      metrics.matchEvent(event(Decision.NO_MATCH, Mode.IDENTIFY, 1_000, 1_100));

      String scrape = metrics.scrape(MetricsServer.PROMETHEUS_TEXT);

      assertThat(scrape).contains("siamese_frames_consumed_total 2.0",
          "siamese_dead_letters_total{input=\"frames\",reason=\"MISSING_FIELD:image\"} 1.0",
          "siamese_dead_letters_total{input=\"identities\",reason=\"KEY_MISMATCH\"} 1.0",
          "siamese_match_events_total{decision=\"MATCH\",mode=\"VERIFY\"} 1.0",
          "siamese_match_events_total{decision=\"NO_MATCH\",mode=\"IDENTIFY\"} 2.0",
          "siamese_end_to_end_latency_seconds_count 3", "jvm_memory_used_bytes{area=\"heap\"");
      // Identity and camera ids are unbounded: they must never become tag values.
      assertThat(scrape).doesNotContain("identity-secret-42", "camera-secret-7", "frame-1");
    }
  }

  @Test
  void shouldRecordEndToEndLatencyAsProcessedAtMinusFrameTimestampClampedAtZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceMetrics metrics = ServiceMetrics.on(registry);

    metrics.matchEvent(event(Decision.MATCH, Mode.VERIFY, 10_000, 10_250));
    metrics.matchEvent(event(Decision.MATCH, Mode.VERIFY, 10_000, 9_000));

    var latency = registry.get("siamese.end.to.end.latency").timer();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(250.0, within(1e-9));
    assertThat(latency.max(TimeUnit.MILLISECONDS)).isCloseTo(250.0, within(1e-9));
  }

  @Test
  void shouldRecordBatchSizeDurationAndEmbeddedFrames() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceMetrics metrics = ServiceMetrics.on(registry);

    metrics.batchEmbedded(32, 4_000_000);
    metrics.batchEmbedded(3, 1_000_000);

    assertThat(registry.get("siamese.frames.embedded").counter().count()).isEqualTo(35.0);
    assertThat(registry.get("siamese.embedding.batch.size").summary().count()).isEqualTo(2);
    assertThat(registry.get("siamese.embedding.batch.size").summary().max()).isEqualTo(32.0);
    assertThat(registry.get("siamese.embedding.batch.duration").timer().totalTime(TimeUnit.MILLISECONDS))
        .isCloseTo(5.0, within(1e-9));
  }

  @Test
  void shouldFoldReasonsThatAreNotPlainCodesIntoOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceMetrics metrics = ServiceMetrics.on(registry);

    metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, "frame id abc was seen before, at offset 17");
    metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, null);
    metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, "X".repeat(65));

    assertThat(registry.get("siamese.dead.letters").tag("reason", ServiceMetrics.OTHER_REASON).counter().count())
        .isEqualTo(3.0);
    assertThat(registry.get("siamese.dead.letters").counters()).hasSize(1);
  }

  @Test
  void shouldRecordNothingWhenDisabled() {
    ServiceMetrics metrics = ServiceMetrics.disabled();

    metrics.frameConsumed();
    metrics.batchEmbedded(4, 1_000);
    metrics.matchEvent(event(Decision.MATCH, Mode.VERIFY, 1, 2));

    assertThat(metrics.scrape(MetricsServer.PROMETHEUS_TEXT)).isEmpty();
    assertThat(metrics.registry().find("siamese.frames.consumed").counter().count()).isZero();
  }

  @Test
  void shouldBindGalleryModelAndKafkaStreamsMetersUntilTheBindingIsClosed(@TempDir Path dir) throws Exception {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), "frames");
    topology.addSink("out", "events", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "in");
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    AtomicInteger gallery = new AtomicInteger(7);
    // Never started: Kafka Streams and its clients register their metrics at construction.
    try (ServiceMetrics metrics = ServiceMetrics.prometheus();
        KafkaStreams streams = new KafkaStreams(topology, props)) {
      AutoCloseable binding = metrics.bindService(streams, TestBundles.manifest("v9", true), gallery::get);
      gallery.set(9);

      String scrape = metrics.scrape(MetricsServer.PROMETHEUS_TEXT);

      assertThat(scrape).contains("siamese_gallery_identities 9.0",
          "siamese_model_info{metric=\"SQUARED_L2\",model_id=\"" + TestBundles.MODEL_ID
              + "\",model_version=\"v9\"} 1",
          "kafka_stream_alive_stream_threads", "kafka_stream_thread_process_rate",
          "kafka_consumer_fetch_manager_records_lag_max");

      binding.close();
      assertThat(metrics.scrape(MetricsServer.PROMETHEUS_TEXT))
          .doesNotContain("siamese_gallery_identities", "siamese_model_info", "kafka_stream_thread_process_rate");
    }
  }
}
