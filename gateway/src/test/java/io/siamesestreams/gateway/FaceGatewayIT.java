package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.gate.DropReason;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.FaceModelFixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --detect-faces} on a video made of face-api's sample photos (each held 2 s at 10 fps), with
 * the real converted face detector, against a real broker.
 */
class FaceGatewayIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final int FPS = 10;
  private static final int FRAMES_PER_PHOTO = 20;

  @TempDir static Path dir;

  private static Path faceModel;
  private static List<BufferedImage> photos;

  @BeforeAll
  static void convertTheFaceModelsAndScaleThePhotos() {
    faceModel = FaceModelFixtures.convert(dir.resolve("faces"));
    photos = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      photos.add(onCanvas(FaceModelFixtures.photo("sample" + i + ".jpg"), 640, 480));
    }
  }

  /** {@code photo} scaled to fit {@code width × height}, centred on grey. */
  private static BufferedImage onCanvas(BufferedImage photo, int width, int height) {
    double scale = Math.min((double) width / photo.getWidth(), (double) height / photo.getHeight());
    int w = (int) Math.round(photo.getWidth() * scale);
    int h = (int) Math.round(photo.getHeight() * scale);
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, width, height);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(photo, (width - w) / 2, (height - h) / 2, w, h, null);
    g.dispose();
    return canvas;
  }

  /** Runs {@code camera} into a new {@code topic} until its video ends; its metrics. */
  private static GatewayMetrics runToTheEnd(CameraSettings camera, String topic, Duration wait) throws Exception {
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    GatewayMetrics metrics = new GatewayMetrics();
    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topic, List.of(camera),
        GatewayFixture.settings(faceModel, 64), metrics)) {
      assertThat(gateway.awaitCameras(wait)).isTrue();
    }
    return metrics;
  }

  @Test
  void faceCropsWithTheirBoxReachTheBrokerOncePerTrackAndInterval() throws Exception {
    int facesInPhotos = 0;
    try (TinyFaceDetector detector = TinyFaceDetector.open(faceModel.resolve("face-detector"), 1)) {
      for (BufferedImage photo : photos) {
        facesInPhotos += detector.detect(photo).size();
      }
    }
    assertThat(facesInPhotos).isGreaterThan(6);
    List<BufferedImage> frames = new ArrayList<>();
    photos.forEach(photo -> frames.addAll(java.util.Collections.nCopies(FRAMES_PER_PHOTO, photo)));
    Path video = TestMedia.writeVideo(dir.resolve("people.mp4"), frames, FPS);
    String topic = "frames-faces";
    GatewayMetrics metrics = runToTheEnd(new CameraSettings("door-1", video.toString(), null, 0, true, 0, 0, 0, 1.0,
        0.4, false, false, false), topic, Duration.ofSeconds(120));

    long sent = metrics.sentCount("door-1");
    Map<DropReason, Long> dropped = metrics.droppedCounts("door-1");
    System.out.printf("FaceGatewayIT: %d faces in the 6 photos, %d frames; %s%n", facesInPhotos, frames.size(),
        metrics.summary("door-1"));
    assertThat(metrics.decodedCount("door-1")).isEqualTo(frames.size());
    // Each photo is on screen for 2 best-shot intervals: about 2 crops per face instead of 20.
    assertThat(sent).isBetween((long) facesInPhotos, 3L * facesInPhotos);
    assertThat(dropped.get(DropReason.NOT_BEST_SHOT)).isGreaterThan(10L * facesInPhotos);
    List<ConsumerRecord<String, Frame>> records = GatewayFixture.frames(KAFKA.bootstrapServers(), topic, (int) sent,
        Duration.ofSeconds(10));
    assertThat(records).hasSize((int) sent);
    for (ConsumerRecord<String, Frame> record : records) {
      Frame frame = record.value();
      BufferedImage crop = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(frame.image())));
      FaceBox box = frame.faceBox();
      assertThat(box).as("faceBox of %s", frame.frameId()).isNotNull();
      assertThat(box.x()).isNotNegative();
      assertThat(box.y()).isNotNegative();
      assertThat(box.right()).isLessThanOrEqualTo(crop.getWidth());
      assertThat(box.bottom()).isLessThanOrEqualTo(crop.getHeight());
      // The crop is the box plus a margin: smaller than the frame, larger than the box.
      assertThat((double) crop.getWidth()).isLessThan(640).isGreaterThan(box.width());
    }
  }

  @Test
  void smallFacesAndLowScoresAreDroppedWithTheirReason() throws Exception {
    Path video = TestMedia.writeVideo(dir.resolve("one.mp4"), java.util.Collections.nCopies(10, photos.get(0)), FPS);
    // No face in a 640×480 frame is 400 px tall: every face is too small.
    GatewayMetrics metrics = runToTheEnd(new CameraSettings("door-2", video.toString(), null, 0, true, 400, 0, 0, 0,
        0.4, false, false, false), "frames-faces-gate", Duration.ofSeconds(60));
    assertThat(metrics.sentCount("door-2")).isZero();
    assertThat(metrics.droppedCounts("door-2")).containsOnlyKeys(DropReason.FACE_TOO_SMALL);
  }

  @Test
  void alignedFacesReachTheBrokerAsChipsOfTheRecognitionNetsSizeWithoutAFaceBox() throws Exception {
    Path video = TestMedia.writeVideo(dir.resolve("aligned.mp4"), java.util.Collections.nCopies(10, photos.get(0)),
        FPS);
    String topic = "frames-faces-aligned";
    GatewayMetrics metrics = runToTheEnd(new CameraSettings("door-3", video.toString(), null, 0, true, 0, 0, 0, 1.0,
        0.4, false, false, true), topic, Duration.ofSeconds(60));

    long sent = metrics.sentCount("door-3");
    assertThat(sent).isPositive();
    List<ConsumerRecord<String, Frame>> records = GatewayFixture.frames(KAFKA.bootstrapServers(), topic, (int) sent,
        Duration.ofSeconds(10));
    assertThat(records).hasSize((int) sent).allSatisfy(record -> {
      Frame frame = record.value();
      assertThat(frame.isAligned()).as("aligned of %s", frame.frameId()).isTrue();
      assertThat(frame.faceBox()).isNull();
      BufferedImage chip = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(frame.image())));
      assertThat(chip.getWidth()).isEqualTo(150);
      assertThat(chip.getHeight()).isEqualTo(150);
    });
  }

  @Test
  void aGatewayThatAlignsFacesRefusesAFaceModelFolderWithoutTheLandmarkNet() {
    CameraSettings camera = new CameraSettings("door-4", "unused.mp4", null, 0, true, 0, 0, 0, 1.0, 0.4, false,
        false, true);
    assertThatThrownBy(() -> GatewayFixture.start(KAFKA.bootstrapServers(), "frames-unused", List.of(camera),
        GatewayFixture.settings(faceModel.resolve("face-detector"), 64), new GatewayMetrics()))
        .hasMessageContaining("align-faces needs face-detector/ and face-landmarks/ in");
  }
}
