package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.camera.CameraWorker;
import io.siamesestreams.gateway.cli.GatewayCommand;
import io.siamesestreams.gateway.gate.DropReason;
import io.siamesestreams.gateway.gate.Sharpness;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The gateway on real videos and images (written with FFmpeg through javacv) against a real broker. */
class GatewayMediaIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private static BufferedImage jpeg(Frame frame) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(frame.image())));
  }

  @Test
  void theCommandSendsAVideoFileSampledToTheRequestedRateWithinTenPercent() throws Exception {
    String topic = "frames-fps";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    Path video = TestMedia.writeVideo(dir.resolve("fashion.mp4"), TestMedia.fashionFrames(250, 320, 240), 25);
    Path config = Files.writeString(dir.resolve("kafka.properties"), "siamese.topic.frames=" + topic + "\n");

    int exit = new CommandLine(new GatewayCommand()).execute("--bootstrap", KAFKA.bootstrapServers(), "--config",
        config.toString(), "--camera", "door-1", "--source", video.toString(), "--fps", "7");

    assertThat(exit).isZero();
    // 10 s of video at --fps 7: 70 frames, ±10 %.
    List<ConsumerRecord<String, Frame>> records = GatewayFixture.frames(KAFKA.bootstrapServers(), topic, 80,
        Duration.ofSeconds(5));
    assertThat(records).hasSizeBetween(63, 77);
    for (ConsumerRecord<String, Frame> record : records) {
      assertThat(record.key()).isEqualTo("door-1");
      assertThat(record.value().cameraId()).isEqualTo("door-1");
      assertThat(record.value().faceBox()).isNull();
      BufferedImage image = jpeg(record.value());
      assertThat(image.getWidth()).isEqualTo(320);
      assertThat(image.getHeight()).isEqualTo(240);
    }
    assertThat(records.stream().map(r -> r.value().frameId()).distinct()).hasSameSizeAs(records);
  }

  @Test
  void blurredCopiesInAnMkvFileAreDroppedByTheSharpnessGateAndCounted() throws Exception {
    String topic = "frames-blur";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    List<BufferedImage> sharp = TestMedia.fashionFrames(20, 320, 240);
    List<BufferedImage> frames = new ArrayList<>();
    double sharpest = 0;
    double blurriestSharp = Double.MAX_VALUE;
    for (BufferedImage image : sharp) {
      BufferedImage blurred = TestMedia.blurred(image, 2);
      frames.add(image);
      frames.add(blurred);
      blurriestSharp = Math.min(blurriestSharp, Sharpness.of(image));
      sharpest = Math.max(sharpest, Sharpness.of(blurred));
    }
    assertThat(blurriestSharp).isGreaterThan(sharpest);
    // The threshold halfway (geometrically) between the blurred and the sharp originals.
    double threshold = Math.sqrt(blurriestSharp * sharpest);
    Path video = TestMedia.writeVideo(dir.resolve("blur.mkv"), frames, 10);
    GatewayMetrics metrics = new GatewayMetrics();
    CameraSettings camera = new CameraSettings("hall", video.toString(), "alice", 0, false, 0, threshold, 0, 0, 0.4,
        false, false, false);

    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topic, List.of(camera),
        GatewayFixture.settings(dir, 16), metrics)) {
      assertThat(gateway.awaitCameras(Duration.ofSeconds(60))).isTrue();
      assertThat(gateway.workers().get(0).outcome()).isEqualTo(CameraWorker.Outcome.COMPLETED);
    }

    assertThat(metrics.decodedCount("hall")).isEqualTo(40);
    assertThat(metrics.droppedCounts("hall")).isEqualTo(Map.of(DropReason.BLURRED, 20L));
    assertThat(metrics.sentCount("hall")).isEqualTo(20);
    List<ConsumerRecord<String, Frame>> records = GatewayFixture.frames(KAFKA.bootstrapServers(), topic, 20,
        Duration.ofSeconds(10));
    assertThat(records).hasSize(20).allSatisfy(r -> assertThat(r.value().claimedIdentity()).isEqualTo("alice"));
  }

  @Test
  void aFolderOfImagesIsSentImageByImageInNameOrder() throws Exception {
    String topic = "frames-folder";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    Path folder = Files.createDirectories(dir.resolve("shots"));
    List<BufferedImage> images = TestMedia.fashionFrames(12, 160, 120);
    for (int i = 0; i < images.size(); i++) {
      ImageIO.write(images.get(i), i % 2 == 0 ? "png" : "jpg", folder.resolve(String.format("img-%02d.%s", i,
          i % 2 == 0 ? "png" : "jpg")).toFile());
    }
    Files.writeString(folder.resolve("notes.txt"), "not an image, skipped by extension");
    GatewayMetrics metrics = new GatewayMetrics();

    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topic,
        List.of(GatewayFixture.camera("lobby", folder.toString(), 5)), GatewayFixture.settings(dir, 16), metrics)) {
      assertThat(gateway.awaitCameras(Duration.ofSeconds(30))).isTrue();
    }

    assertThat(metrics.summary("lobby")).isEqualTo("decoded 12, sent 12, dropped {}, reconnects 0");
    List<ConsumerRecord<String, Frame>> records = GatewayFixture.frames(KAFKA.bootstrapServers(), topic, 12,
        Duration.ofSeconds(10));
    assertThat(records).hasSize(12);
    assertThat(jpeg(records.get(0).value()).getWidth()).isEqualTo(160);
  }

  @Test
  void aCorruptFileAndATruncatedFileEachEndTheirCameraWithAMessageNamingTheFile() throws Exception {
    Path garbage = Files.write(dir.resolve("garbage.mp4"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Path whole = TestMedia.writeVideo(dir.resolve("whole.mkv"), TestMedia.fashionFrames(100, 160, 120), 25);
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = Files.write(dir.resolve("truncated.mkv"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), "frames-bad");
    GatewayMetrics metrics = new GatewayMetrics();

    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), "frames-bad",
        List.of(GatewayFixture.camera("bad-1", garbage.toString(), 0), GatewayFixture.camera("bad-2", truncated.toString(), 0)),
        GatewayFixture.settings(dir, 16), metrics)) {
      assertThat(gateway.awaitCameras(Duration.ofSeconds(30))).isTrue();
      assertThat(gateway.anyFailed()).isTrue();
      CameraWorker corrupt = gateway.workers().get(0);
      CameraWorker cut = gateway.workers().get(1);
      assertThat(corrupt.outcome()).isEqualTo(CameraWorker.Outcome.FAILED);
      assertThat(corrupt.failure()).contains("cannot open file " + garbage);
      assertThat(cut.outcome()).isEqualTo(CameraWorker.Outcome.FAILED);
      assertThat(cut.failure()).contains(truncated.toString()).contains("truncated or corrupt");
      // What decoded before the cut was still sent.
      assertThat(metrics.decodedCount("bad-2")).isBetween(20L, 99L);
    }
  }

  @Test
  void aBrokerThatIsDownNeverGrowsTheQueueBeyondItsCapacityAndEveryFrameIsAccountedFor() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    Path video = TestMedia.writeVideo(dir.resolve("busy.mp4"), TestMedia.fashionFrames(100, 160, 120), 25);
    GatewayMetrics metrics = new GatewayMetrics();
    Gateway gateway = GatewayFixture.start("127.0.0.1:" + deadPort, "frames", List.of(GatewayFixture.camera("dead",
        video.toString(), 0)), new Gateway.Settings(dir, 8, GatewayFixture.FAST_BACKOFF, 2_000_000, Duration.ofSeconds(1)),
        metrics);
    try {
      assertThat(gateway.awaitCameras(Duration.ofSeconds(30))).isTrue();
      assertThat(metrics.registry().get("siamese.gateway.send.queue.frames").gauge().value()).isLessThanOrEqualTo(8);
      // All but the queue and the one frame blocked inside producer.send() gave way.
      assertThat(metrics.droppedCounts("dead").get(DropReason.QUEUE_FULL)).isGreaterThanOrEqualTo(100L - 8 - 1);
    } finally {
      gateway.close();
    }
    long dropped = metrics.droppedCounts("dead").values().stream().mapToLong(Long::longValue).sum();
    assertThat(metrics.decodedCount("dead")).isEqualTo(100);
    assertThat(metrics.sentCount("dead") + dropped).isEqualTo(100);
  }
}
