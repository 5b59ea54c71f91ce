package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.FaceModelFixtures;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: the people of face-api's sample photos are enrolled (one face box per
 * identity), the real service runs with the converted face models, and the gateway sends face crops
 * from a video of the photos; the service names the people.
 */
class GatewayToServiceIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private static BufferedImage onCanvas(BufferedImage photo) {
    double scale = Math.min(640.0 / photo.getWidth(), 480.0 / photo.getHeight());
    int w = (int) Math.round(photo.getWidth() * scale);
    int h = (int) Math.round(photo.getHeight() * scale);
    BufferedImage canvas = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, 640, 480);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(photo, (640 - w) / 2, (480 - h) / 2, w, h, null);
    g.dispose();
    return canvas;
  }

  /** Face crops with their faceBox (the service aligns), and chips aligned by the gateway (align-faces). */
  @ParameterizedTest(name = "align-faces {0}")
  @ValueSource(booleans = {false, true})
  void theServiceIdentifiesThePeopleInTheGatewaysFaceCrops(boolean alignFaces) throws Exception {
    String run = alignFaces ? "aligned" : "crops";
    Path faces = FaceModelFixtures.convert(dir.resolve("faces-" + run));
    List<BufferedImage> photos = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      photos.add(onCanvas(FaceModelFixtures.photo("sample" + i + ".jpg")));
    }
    Topics topics = Topics.prefixed("e2e-" + run + "-");
    KafkaTestSupport.createTopics(KAFKA.bootstrapServers(), KafkaTestSupport.topic(topics.frames().name(), 1),
        KafkaTestSupport.topic(topics.identities().name(), 1), KafkaTestSupport.topic(topics.identityTemplates().name(), 1),
        KafkaTestSupport.topic(topics.matchEvents().name(), 1), KafkaTestSupport.topic(topics.framesDlq().name(), 1));
    List<ProducerRecord<String, byte[]>> enrolments = new ArrayList<>();
    try (TinyFaceDetector detector = TinyFaceDetector.open(faces.resolve("face-detector"), 1)) {
      for (int p = 0; p < photos.size(); p++) {
        String png = Base64.getEncoder().encodeToString(FaceModelFixtures.png(photos.get(p)));
        List<FaceBox> boxes = detector.detect(photos.get(p));
        for (int f = 0; f < boxes.size(); f++) {
          int[] px = boxes.get(f).clippedPixels(640, 480);
          String id = "photo" + (p + 1) + "-face" + f;
          enrolments.add(new ProducerRecord<>(topics.identities().name(), id, Topics.ENROLLMENT_SERDE.toBytes(
              new IdentityEnrollment(id, id, List.of(png), List.of(FaceBox.ofPixels(px[0], px[1], px[2], px[3]))))));
        }
      }
    }
    Properties kafka = new Properties();
    kafka.put("commit.interval.ms", "100");
    ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
            ServiceConfig.MODEL_DIR, faces, ServiceConfig.APPLICATION_ID, "e2e-app-" + run, ServiceConfig.STATE_DIR,
            dir.resolve("state-" + run), ServiceConfig.BATCH_SIZE, 8, ServiceConfig.MAX_WAIT_MS, 20,
            ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, 1))
        .with(kafka).with(topics.settings());
    List<BufferedImage> frames = new ArrayList<>();
    photos.forEach(photo -> frames.addAll(Collections.nCopies(20, photo)));
    Path video = TestMedia.writeVideo(dir.resolve("people-" + run + ".mp4"), frames, 10);

    try (SiameseService service = SiameseService.start(settings)) {
      service.awaitRunning(WAIT);
      KafkaTestSupport.produce(KAFKA.bootstrapServers(), enrolments);
      List<ConsumerRecord<String, IdentityTemplates>> templates = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
          topics.identityTemplates().name(), Topics.TEMPLATES_SERDE.deserializer(), enrolments.size(), WAIT, r -> true);
      assertThat(templates).hasSize(enrolments.size());

      GatewayMetrics metrics = new GatewayMetrics();
      CameraSettings camera = new CameraSettings("door-1", video.toString(), null, 0, true, 0, 0, 0, 1.0, 0.4, false,
          false, alignFaces);
      try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topics.frames().name(), List.of(camera),
          GatewayFixture.settings(faces, 64), metrics)) {
        assertThat(gateway.awaitCameras(WAIT)).isTrue();
      }
      int sent = (int) metrics.sentCount("door-1");
      List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
          topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), sent, WAIT, r -> true);

      assertThat(events).hasSize(sent);
      Map<Decision, Long> decisions = events.stream()
          .collect(Collectors.groupingBy(e -> e.value().decision(), TreeMap::new, Collectors.counting()));
      Set<String> named = events.stream().filter(e -> e.value().decision() == Decision.MATCH)
          .map(e -> e.value().identityId()).collect(Collectors.toSet());
      Map<String, Long> timesNamed = events.stream().filter(e -> e.value().decision() == Decision.MATCH)
          .collect(Collectors.groupingBy(e -> e.value().identityId(), TreeMap::new, Collectors.counting()));
      double maxDistance = events.stream().filter(e -> e.value().distance() != null)
          .mapToDouble(e -> e.value().distance()).max().orElse(Double.NaN);
      System.out.printf("GatewayToServiceIT (align-faces " + alignFaces + "): %d enrolled, gateway %s; events %s; %d distinct people named, largest"
          + " distance %.3f; times each was named %s%n", enrolments.size(), metrics.summary("door-1"), decisions,
          named.size(), maxDistance, timesNamed.values());
      // Each face crop or chip is one face (the faceBox or aligned skips detection): one event per crop.
      assertThat(events).allSatisfy(e -> assertThat(e.value().faceCount()).isIn(null, 1));
      assertThat(decisions.getOrDefault(Decision.MATCH, 0L)).isGreaterThanOrEqualTo(Math.round(0.9 * sent));
      assertThat(named.size()).isGreaterThanOrEqualTo((int) Math.round(0.9 * enrolments.size()));
      // Each person is on screen for two best-shot intervals: named about twice, never many times (a confusion
      // between two people would name one of them more often).
      assertThat(timesNamed.values()).allSatisfy(times -> assertThat(times).isBetween(1L, 3L));
    }
  }
}
