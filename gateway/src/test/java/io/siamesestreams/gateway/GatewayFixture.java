package io.siamesestreams.gateway;

import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.camera.CameraWorker;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Starts gateways against a real broker and reads back what they produced. */
final class GatewayFixture {

  static final CameraWorker.Backoff FAST_BACKOFF = new CameraWorker.Backoff(200, 2000);

  private GatewayFixture() {}

  /** A camera with the flags' defaults and no gate. */
  static CameraSettings camera(String id, String source, double fps) {
    return new CameraSettings(id, source, null, fps, false, 0, 0, 0, 0, 0.4, false, false, false);
  }

  static Gateway.Settings settings(Path faceModel, int queue) {
    return new Gateway.Settings(faceModel, queue, FAST_BACKOFF, 2_000_000, Duration.ofSeconds(10));
  }

  static Gateway start(String bootstrap, String topic, List<CameraSettings> cameras, Gateway.Settings settings,
      GatewayMetrics metrics) {
    KafkaSettings kafka = KafkaSettings.empty().with("bootstrap.servers", bootstrap);
    return Gateway.start(cameras, settings, KafkaClients.producer(kafka, "gateway-test"), topic, metrics);
  }

  static void createTopic(String bootstrap, String topic) {
    KafkaTestSupport.createTopics(bootstrap, KafkaTestSupport.topic(topic, 1));
  }

  /** Every frame on {@code topic} (waits up to {@code timeout} for {@code expected} of them). */
  static List<ConsumerRecord<String, Frame>> frames(String bootstrap, String topic, int expected, Duration timeout) {
    return KafkaTestSupport.consume(bootstrap, topic, Topics.FRAME_SERDE.deserializer(), expected, timeout, r -> true);
  }
}
