package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.frames.FaceFrameEmbedder;
import io.siamesestreams.frames.FaceModelConfig;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.identity.Thumbnails;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.FaceModelFixtures;
import io.siamesestreams.testing.TopicSchemas;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The face path of the topology with the real face-api nets converted from the npm tarball: one
 * event per detected face with its box, NO_FACE, frames with a {@code faceBox} and crop frames
 * skipping detection, and enrolment of one face per image.
 */
class FaceTopologyTest {

  /** The face nets of a face model. */
  private static FaceExtraction faces(LoadedModel model) {
    return ((FaceFrameEmbedder) model.frameEmbedder()).faces();
  }

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

  @TempDir
  static Path models;
  static LoadedModel wholeFrames;
  static LoadedModel crops;

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> frames;
  private TestInputTopic<byte[], byte[]> identities;
  private TestInputTopic<String, IdentityTemplates> templatesIn;
  private TestOutputTopic<String, MatchEvent> events;
  private TestOutputTopic<String, IdentityTemplates> templatesOut;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private int frameCounter;
  private TopologySettings settings;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void openModels() throws IOException {
    Path whole = FaceModelFixtures.convert(models.resolve("faces"));
    wholeFrames = LoadedModel.open(whole, 1);
    // The same nets in a second folder whose faces.json says every frame is a crop.
    Path cropFolder = Files.createDirectories(models.resolve("faces-crops"));
    for (String bundle : List.of("face-recognition", "face-detector", "face-landmarks")) {
      Files.createSymbolicLink(cropFolder.resolve(bundle), whole.resolve(bundle).toAbsolutePath());
    }
    Files.writeString(cropFolder.resolve(FaceModelConfig.FILE_NAME), "{\"frames\": \"CROPS\"}");
    crops = LoadedModel.open(cropFolder, 1);
  }

  @AfterAll
  static void closeModels() {
    wholeFrames.close();
    crops.close();
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  private void startDriver(LoadedModel model) {
    settings = TestTopologySettings.of(Map.of());
    registry = new SimpleMeterRegistry();
    SiameseTopology siamese = SiameseTopology.create(settings, model, ServiceMetrics.on(registry));
    TopologyHarness harness = TopologyHarness.start(siamese.topology(), settings.topics(), stateDir, "siamese-face-test",
        START);
    driver = harness.driver();
    frames = harness.frames();
    identities = harness.identities();
    templatesIn = harness.templatesIn();
    events = harness.events();
    templatesOut = harness.templatesOut();
    deadLetters = harness.deadLetters();
  }

  private Frame frame(byte[] image, String claim, FaceBox faceBox) {
    String id = "face-frame-" + frameCounter++;
    return new Frame(id, "cam-1", START.toEpochMilli() + frameCounter, Base64.getEncoder().encodeToString(image),
        claim, faceBox);
  }

  /** Sends {@code frame} and lets its batch go (the wall clock passes the batcher's maximum wait). */
  private byte[] send(Frame frame) {
    byte[] value = sendWithoutFlush(frame);
    driver.advanceWallClockTime(settings.maxWait());
    return value;
  }

  private byte[] sendWithoutFlush(Frame frame) {
    byte[] value = Topics.FRAME_SERDE.toBytes(frame);
    frames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), value);
    return value;
  }

  /** Enrols {@code identityId} from {@code image} through the identities topic and feeds its templates back. */
  private IdentityTemplates enrol(String identityId, byte[] image) {
    identities.pipeInput(identityId.getBytes(StandardCharsets.UTF_8), Topics.ENROLLMENT_SERDE.toBytes(
        new IdentityEnrollment(identityId, null, List.of(Base64.getEncoder().encodeToString(image)))));
    TestRecord<String, IdentityTemplates> templates = templatesOut.readRecord();
    templatesIn.pipeInput(templates.key(), templates.value());
    return templates.value();
  }

  private static void assertConformsToSchema(MatchEvent event) {
    assertThat(TopicSchemas.violations(TopicSchemas.MATCH_EVENT, Topics.MATCH_EVENT_SERDE.toBytes(event))).isEmpty();
  }

  /** A smooth colour gradient: no face anywhere. */
  private static byte[] gradient() {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 160), 320, 240, new Color(230, 200, 120)));
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    return FaceModelFixtures.png(image);
  }

  @Test
  void shouldEmitOneEventPerDetectedFaceWithItsBoxIndexAndCount() {
    startDriver(wholeFrames);
    List<DetectedFace> expected = faces(wholeFrames).pipeline().detect(FaceModelFixtures.photo("sample1.jpg"));
    assertThat(expected).as("faces the detector finds in sample1").hasSizeGreaterThan(1);

    Frame frame = frame(FaceModelFixtures.photoBytes("sample1.jpg"), null, null);
    send(frame);

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(expected.size());
    for (int i = 0; i < out.size(); i++) {
      MatchEvent event = out.get(i);
      assertThat(event.frameId()).isEqualTo(frame.frameId());
      assertThat(event.mode()).isEqualTo(Mode.IDENTIFY);
      // Nobody is enrolled yet.
      assertThat(event.decision()).isEqualTo(Decision.NO_MATCH);
      assertThat(event.faceIndex()).isEqualTo(i);
      assertThat(event.faceCount()).isEqualTo(expected.size());
      // In JSON a box is whole pixels without its score: the event reads back with score 1.
      assertThat(event.faceBox()).isEqualTo(expected.get(i).box().pixels().withScore(1.0));
      assertThat(event.faceScore()).isEqualTo(expected.get(i).score());
      assertThat(event.modelId()).isEqualTo("face-api-face-recognition");
      assertConformsToSchema(event);
    }
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldEmitExactlyOneNoFaceEventForAFrameWithoutAFace() {
    startDriver(wholeFrames);

    Frame claimed = frame(gradient(), "alice", null);
    send(claimed);
    Frame unclaimed = frame(gradient(), null, null);
    send(unclaimed);

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(2);
    MatchEvent verify = out.get(0);
    assertThat(verify.frameId()).isEqualTo(claimed.frameId());
    assertThat(verify.decision()).isEqualTo(Decision.NO_FACE);
    assertThat(verify.mode()).isEqualTo(Mode.VERIFY);
    assertThat(verify.identityId()).isEqualTo("alice");
    assertThat(verify.distance()).isNull();
    assertThat(verify.faceBox()).isNull();
    assertThat(verify.faceIndex()).isNull();
    assertThat(verify.faceCount()).isZero();
    MatchEvent identify = out.get(1);
    assertThat(identify.decision()).isEqualTo(Decision.NO_FACE);
    assertThat(identify.mode()).isEqualTo(Mode.IDENTIFY);
    assertThat(identify.identityId()).isNull();
    out.forEach(FaceTopologyTest::assertConformsToSchema);
  }

  @Test
  void shouldSkipDetectionForAFrameWithAFaceBoxAndMatchTheEnrolledFace() {
    startDriver(wholeFrames);
    BufferedImage photo = FaceModelFixtures.photo("sample1.jpg");
    List<DetectedFace> faces = faces(wholeFrames).pipeline().detect(photo);
    // Enrol the second face by its aligned chip, without a face box: the detector misses a face
    // filling the image, so the whole chip is taken as the crop (and re-aligned: close, not equal).
    IdentityTemplates templates = enrol("second", FaceModelFixtures.png(faces.get(1).chip()));
    assertThat(templates.templates()).hasSize(1);
    assertThat(templates.dimension()).isEqualTo(128);

    FaceBox box = faces.get(1).box().pixels().withScore(1.0);
    send(frame(FaceModelFixtures.photoBytes("sample1.jpg"), "second", box));
    FaceBox other = FaceBox.ofPixels(
        (int) faces.get(0).box().x(), (int) faces.get(0).box().y(), (int) faces.get(0).box().width(),
        (int) faces.get(0).box().height());
    send(frame(FaceModelFixtures.photoBytes("sample1.jpg"), "second", other));

    List<MatchEvent> out = events.readValuesToList();
    // One event per frame although the photo holds several faces: the given box is the one face.
    assertThat(out).hasSize(2);
    MatchEvent genuine = out.get(0);
    assertThat(genuine.faceBox()).isEqualTo(box);
    assertThat(genuine.faceScore()).isEqualTo(1.0);
    assertThat(genuine.faceCount()).isEqualTo(1);
    assertThat(genuine.decision()).isEqualTo(Decision.MATCH);
    assertThat(genuine.distance()).isLessThan(0.3);
    MatchEvent impostor = out.get(1);
    assertThat(impostor.decision()).isEqualTo(Decision.NO_MATCH);
    assertThat(impostor.distance()).isGreaterThan(0.6);
    out.forEach(FaceTopologyTest::assertConformsToSchema);
  }

  @Test
  void shouldEnrolTheLargestFaceOfAWholeImageAndIdentifyItInTheFrame() {
    startDriver(wholeFrames);
    BufferedImage photo = FaceModelFixtures.photo("sample1.jpg");
    List<DetectedFace> faces = faces(wholeFrames).pipeline().detect(photo);
    int largest = 0;
    for (int i = 1; i < faces.size(); i++) {
      if (faces.get(i).box().area() > faces.get(largest).box().area()) {
        largest = i;
      }
    }
    enrol("largest", FaceModelFixtures.photoBytes("sample1.jpg"));

    send(frame(FaceModelFixtures.photoBytes("sample1.jpg"), null, null));

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(faces.size());
    for (MatchEvent event : out) {
      if (event.faceIndex() == largest) {
        assertThat(event.decision()).isEqualTo(Decision.MATCH);
        assertThat(event.identityId()).isEqualTo("largest");
        assertThat(event.distance()).isLessThan(0.05);
      } else {
        assertThat(event.decision()).as("face %d", event.faceIndex()).isEqualTo(Decision.NO_MATCH);
      }
    }
  }

  @Test
  void shouldEnrolTheFaceAtTheGivenFaceBoxExactlyAsAFrameWithThatBoxSeesIt() throws IOException {
    startDriver(wholeFrames);
    List<DetectedFace> faces = faces(wholeFrames).pipeline().detect(FaceModelFixtures.photo("sample1.jpg"));
    FaceBox box = faces.get(2).box().pixels();
    String photo = Base64.getEncoder().encodeToString(FaceModelFixtures.photoBytes("sample1.jpg"));
    identities.pipeInput("third".getBytes(StandardCharsets.UTF_8), Topics.ENROLLMENT_SERDE.toBytes(
        new IdentityEnrollment("third", null, List.of(photo), List.of(box))));
    TestRecord<String, IdentityTemplates> templates = templatesOut.readRecord();
    templatesIn.pipeInput(templates.key(), templates.value());

    // The thumbnail is the face with some context around it, not the group photo scaled down.
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
        templates.value().thumbnail())));
    assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isLessThanOrEqualTo(Thumbnails.MAX_SIDE);
    assertThat((double) thumbnail.getWidth() / thumbnail.getHeight())
        .isCloseTo(box.width() / box.height(), within(0.1));
    BufferedImage group = FaceModelFixtures.photo("sample1.jpg");
    assertThat((double) group.getWidth() / group.getHeight())
        .isNotCloseTo(box.width() / box.height(), within(0.1));

    send(frame(FaceModelFixtures.photoBytes("sample1.jpg"), "third", box));

    MatchEvent event = events.readValue();
    assertThat(event.decision()).isEqualTo(Decision.MATCH);
    assertThat(event.distance()).isLessThan(1e-4);
  }

  @Test
  void shouldDeadLetterAnEnrolmentWhoseOnlyFaceBoxLiesOutsideItsImage() {
    startDriver(wholeFrames);
    String photo = Base64.getEncoder().encodeToString(gradient());
    byte[] value = Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("nobody", null, List.of(photo),
        List.of(FaceBox.ofPixels(5000, 5000, 10, 10))));

    identities.pipeInput("nobody".getBytes(StandardCharsets.UTF_8), value);

    assertThat(templatesOut.isEmpty()).isTrue();
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(value);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.NO_VALID_IMAGES);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.DETAIL_HEADER)).contains("INVALID_FIELD:faceBoxes");
  }

  @Test
  void shouldEmbedTheFacesOfSeveralFramesInOneEncoderCall() {
    startDriver(wholeFrames);
    byte[] group = FaceModelFixtures.photoBytes("sample1.jpg");
    int facesPerPhoto = faces(wholeFrames).pipeline().detect(FaceModelFixtures.photo("sample1.jpg")).size();

    sendWithoutFlush(frame(group, null, null));
    sendWithoutFlush(frame(group, null, null));
    sendWithoutFlush(frame(gradient(), null, null));
    assertThat(events.isEmpty()).as("frames wait in the batch buffer").isTrue();
    driver.advanceWallClockTime(settings.maxWait());

    List<MatchEvent> out = events.readValuesToList();
    assertThat(facesPerPhoto).isGreaterThan(1);
    assertThat(out).hasSize(2 * facesPerPhoto + 1);
    assertThat(out.get(out.size() - 1).decision()).isEqualTo(Decision.NO_FACE);
    assertThat(registry.get("siamese.embedding.batch.size").summary().count()).as("encoder calls").isEqualTo(1);
    assertThat(registry.get("siamese.embedding.batch.size").summary().totalAmount()).isEqualTo(2.0 * facesPerPhoto);
  }

  @Test
  void shouldTakeTheWholeImageAsTheFaceWhenFacesJsonSaysFramesAreCrops() {
    startDriver(crops);
    BufferedImage photo = FaceModelFixtures.photo("sample3.jpg");
    DetectedFace face = faces(crops).pipeline().detect(photo).get(0);
    int[] r = face.box().clippedPixels(photo.getWidth(), photo.getHeight());
    BufferedImage crop = photo.getSubimage(r[0], r[1], r[2], r[3]);
    enrol("cropped", FaceModelFixtures.png(crop));

    send(frame(FaceModelFixtures.png(crop), "cropped", null));
    send(frame(gradient(), null, null));

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).faceBox()).isEqualTo(FaceBox.ofPixels(0, 0, r[2], r[3]));
    assertThat(out.get(0).faceScore()).isEqualTo(1.0);
    assertThat(out.get(0).decision()).isEqualTo(Decision.MATCH);
    assertThat(out.get(0).distance()).isLessThan(0.05);
    // No detection, so even a faceless image is "a face": crops are the gateway's promise.
    assertThat(out.get(1).decision()).isNotEqualTo(Decision.NO_FACE);
    assertThat(out.get(1).faceCount()).isEqualTo(1);
  }

  @Test
  void shouldDeadLetterAFaceBoxOutsideTheImage() {
    startDriver(wholeFrames);

    byte[] value = send(frame(gradient(), null, FaceBox.ofPixels(1000, 1000, 50, 50)));

    assertThat(events.isEmpty()).isTrue();
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(value);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER)).isEqualTo("INVALID_FIELD:faceBox");
  }

  @Test
  void shouldDeadLetterOnlyTheFrameWithAFaceBoxOutsideItsImageWhenItSharesABatch() {
    startDriver(wholeFrames);
    byte[] group = FaceModelFixtures.photoBytes("sample1.jpg");
    int facesPerPhoto = faces(wholeFrames).pipeline().detect(FaceModelFixtures.photo("sample1.jpg")).size();

    sendWithoutFlush(frame(group, null, null));
    byte[] outside = sendWithoutFlush(frame(gradient(), null, FaceBox.ofPixels(1000, 1000, 50, 50)));
    sendWithoutFlush(frame(group, null, FaceBox.ofPixels(0, 0, 120, 120)));
    driver.advanceWallClockTime(settings.maxWait());

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).as("the detected faces of the first frame and the given box of the third").hasSize(facesPerPhoto + 1);
    assertThat(out.get(out.size() - 1).faceBox()).isEqualTo(FaceBox.ofPixels(0, 0, 120, 120));
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(outside);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER)).isEqualTo("INVALID_FIELD:faceBox");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(registry.get("siamese.embedding.batch.size").summary().count()).as("encoder calls").isEqualTo(1);
  }

  @Test
  void shouldEmbedAnAlignedChipAsItIsWithoutDetectionAndDeadLetterAChipOfAnotherSize() {
    startDriver(wholeFrames);
    BufferedImage photo = FaceModelFixtures.photo("sample1.jpg");
    List<DetectedFace> faces = faces(wholeFrames).pipeline().detect(photo);
    enrol("second", FaceModelFixtures.png(faces.get(1).chip()));

    send(alignedChip(FaceModelFixtures.png(faces.get(1).chip()), "second"));
    send(alignedChip(FaceModelFixtures.png(faces.get(0).chip()), "second"));
    BufferedImage small = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(faces.get(1).chip(), 0, 0, 100, 100, null);
    byte[] wrongSize = send(alignedChip(FaceModelFixtures.png(small), "second"));

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(2);
    MatchEvent genuine = out.get(0);
    assertThat(genuine.faceBox()).as("the whole chip").isEqualTo(FaceBox.ofPixels(0, 0, 150, 150));
    assertThat(genuine.faceScore()).isEqualTo(1.0);
    assertThat(genuine.faceCount()).isEqualTo(1);
    assertThat(genuine.decision()).isEqualTo(Decision.MATCH);
    assertThat(genuine.distance()).isLessThan(0.3);
    assertThat(out.get(1).decision()).isEqualTo(Decision.NO_MATCH);
    assertThat(out.get(1).distance()).isGreaterThan(0.6);
    out.forEach(FaceTopologyTest::assertConformsToSchema);
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).isEqualTo(wrongSize);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON_HEADER)).isEqualTo("INVALID_FIELD:aligned");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.DETAIL_HEADER)).contains("150x150", "100x100");
  }

  private Frame alignedChip(byte[] image, String claim) {
    Frame frame = frame(image, claim, null);
    return new Frame(frame.frameId(), frame.cameraId(), frame.timestamp(), frame.image(), claim, null, true);
  }
}
