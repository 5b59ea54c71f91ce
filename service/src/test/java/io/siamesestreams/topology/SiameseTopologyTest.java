package io.siamesestreams.topology;

import io.siamesestreams.config.ServiceConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.matching.PairScore;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.TestBundles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiameseTopologyTest {

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration MAX_WAIT = Duration.ofMillis(50);

  @TempDir
  static Path bundleDir;
  static LoadedModel model;

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private SiameseTopology siamese;
  private TestInputTopic<byte[], byte[]> frames;
  private TestInputTopic<byte[], byte[]> identities;
  private TestInputTopic<String, IdentityTemplates> templatesIn;
  private TestOutputTopic<String, MatchEvent> events;
  private TestOutputTopic<String, IdentityTemplates> templatesOut;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private long frameCounter;

  @BeforeAll
  static void openModel() {
    model = LoadedModel.open(TestBundles.write(bundleDir.resolve("bundle")), 1);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  private void startDriver(TopologySettings settings) {
    siamese = SiameseTopology.create(settings, model);
    TopologyHarness harness = TopologyHarness.start(siamese.topology(), settings.topics(), stateDir, "siamese-test",
        START);
    driver = harness.driver();
    frames = harness.frames();
    identities = harness.identities();
    templatesIn = harness.templatesIn();
    events = harness.events();
    templatesOut = harness.templatesOut();
    deadLetters = harness.deadLetters();
  }

  private void startDriver(int batchSize) {
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, batchSize, ServiceConfig.MAX_WAIT_MS,
        MAX_WAIT.toMillis(), ServiceConfig.TOP_K, 3)));
  }

  /** Embeds identity k's images number 0..count-1 with the real encoder. */
  private static List<float[]> embed(int identity, int count) {
    FloatBuffer pixels = model.encoder().preprocessor().allocate(count);
    for (int v = 0; v < count; v++) {
      try {
        model.encoder().preprocessor().putEncoded(TestBundles.identityImage(identity, v), pixels);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    float[] flat = model.encoder().embed(pixels, count);
    List<float[]> templates = new ArrayList<>();
    for (int v = 0; v < count; v++) {
      float[] t = new float[TestBundles.DIMENSION];
      System.arraycopy(flat, v * TestBundles.DIMENSION, t, 0, TestBundles.DIMENSION);
      templates.add(t);
    }
    return templates;
  }

  private void enrolDirectly(String identityId, int identity, String modelVersion) {
    templatesIn.pipeInput(identityId, new IdentityTemplates(identityId, identityId, TestBundles.MODEL_ID,
        modelVersion, embed(identity, 3), 0L));
  }

  private Frame frame(int identity, int variant, String claim) {
    String id = "frame-" + frameCounter++;
    return new Frame(id, "cam-1", START.toEpochMilli() + frameCounter, TestBundles.identityImageBase64(identity, variant),
        claim, null);
  }

  private void send(Frame frame) {
    frames.pipeInput(frame.cameraId().getBytes(StandardCharsets.UTF_8), Topics.FRAME_SERDE.toBytes(frame));
  }

  private void sendRaw(String key, byte[] value) {
    frames.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private void flushByWallClock() {
    driver.advanceWallClockTime(MAX_WAIT.multipliedBy(2));
  }

  private static String header(Headers headers, String name) {
    return DeadLetters.header(headers, name);
  }

  @Test
  void shouldMatchGenuineClaimWithDistanceThresholdAndProbabilityPerManifest() {
    startDriver(1);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    Frame frame = frame(1, 7, "alice");
    send(frame);

    MatchEvent event = events.readValue();
    assertThat(event.frameId()).isEqualTo(frame.frameId());
    assertThat(event.mode()).isEqualTo(Mode.VERIFY);
    assertThat(event.decision()).isEqualTo(Decision.MATCH);
    assertThat(event.identityId()).isEqualTo("alice");
    assertThat(event.threshold()).isEqualTo(TestBundles.THRESHOLD);
    assertThat(event.modelId()).isEqualTo(TestBundles.MODEL_ID);
    assertThat(event.modelVersion()).isEqualTo(TestBundles.MODEL_VERSION);
    assertThat(event.candidates()).isEmpty();
    // The distance is the minimum over alice's templates, the probability the head's on the nearest one.
    float[] query = embed(1, 8).get(7);
    PairScore best = null;
    for (float[] template : embed(1, 3)) {
      PairScore score = model.scorer().score(query, template);
      if (best == null || score.distance() < best.distance()) {
        best = score;
      }
    }
    assertThat(event.distance()).isCloseTo(best.distance(), within(1e-6));
    assertThat(event.distance()).isLessThanOrEqualTo(TestBundles.THRESHOLD);
    assertThat(event.probability()).isCloseTo(best.probability(), within(1e-6));
    assertThat(event.probability()).isGreaterThan(0.5);
  }

  @Test
  void shouldDecideTheSameFaceDifferentlyAtTwoCamerasWithDifferentThresholdsAndReportEachThreshold() {
    // The genuine distance of this frame to alice's templates, as the real encoder gives it.
    float[] query = embed(1, 8).get(7);
    double distance = embed(1, 3).stream().mapToDouble(t -> model.scorer().score(query, t).distance()).min()
        .orElseThrow();
    double lenient = distance * 1.5;
    double strict = distance / 2;
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS,
        MAX_WAIT.toMillis(), "siamese.decision.threshold", Double.toString(lenient),
        "siamese.camera.server-room.threshold", Double.toString(strict))));
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    String image = TestBundles.identityImageBase64(1, 7);
    send(new Frame("lobby-frame", "lobby", START.toEpochMilli(), image, "alice", null));
    send(new Frame("server-room-frame", "server-room", START.toEpochMilli(), image, "alice", null));

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).extracting(MatchEvent::cameraId).containsExactly("lobby", "server-room");
    assertThat(out).allSatisfy(e -> assertThat(e.distance()).isCloseTo(distance, within(1e-6)));
    assertThat(out).extracting(MatchEvent::decision).containsExactly(Decision.MATCH, Decision.NO_MATCH);
    assertThat(out).extracting(MatchEvent::threshold).containsExactly(lenient, strict);
    // The head's probability does not depend on the threshold.
    assertThat(out.get(1).probability()).isCloseTo(out.get(0).probability(), within(1e-9));
  }

  @Test
  void shouldRejectAnImpostorClaimAsNoMatch() {
    startDriver(1);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    send(frame(2, 0, "alice"));

    MatchEvent event = events.readValue();
    assertThat(event.decision()).isEqualTo(Decision.NO_MATCH);
    assertThat(event.identityId()).isEqualTo("alice");
    assertThat(event.distance()).isGreaterThan(TestBundles.THRESHOLD);
    assertThat(event.probability()).isLessThan(0.5);
  }

  @Test
  void shouldReportUnknownIdentityForAClaimOfAnIdentityNotEnrolled() {
    startDriver(1);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    send(frame(1, 0, "bob"));

    MatchEvent event = events.readValue();
    assertThat(event.mode()).isEqualTo(Mode.VERIFY);
    assertThat(event.decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
    assertThat(event.identityId()).isEqualTo("bob");
    assertThat(event.distance()).isNull();
    assertThat(event.probability()).isNull();
  }

  @Test
  void shouldIdentifyTheNearestIdentityWithTopKCandidatesInAscendingDistance() {
    startDriver(1);
    for (int k = 0; k < 5; k++) {
      enrolDirectly("id-" + k, k, TestBundles.MODEL_VERSION);
    }

    send(frame(3, 9, null));

    MatchEvent event = events.readValue();
    assertThat(event.mode()).isEqualTo(Mode.IDENTIFY);
    assertThat(event.decision()).isEqualTo(Decision.MATCH);
    assertThat(event.identityId()).isEqualTo("id-3");
    assertThat(event.candidates()).hasSize(3);
    assertThat(event.candidates().get(0).identityId()).isEqualTo("id-3");
    assertThat(event.candidates().get(0).distance()).isEqualTo(event.distance());
    assertThat(event.candidates()).extracting(MatchEvent.Candidate::distance).isSorted();
    assertThat(event.candidates().get(1).distance()).isGreaterThan(TestBundles.THRESHOLD);
  }

  @Test
  void shouldReportNoMatchWithoutIdentityWhenIdentifyingAgainstAnEmptyGallery() {
    startDriver(1);

    send(frame(3, 0, null));

    MatchEvent event = events.readValue();
    assertThat(event.mode()).isEqualTo(Mode.IDENTIFY);
    assertThat(event.decision()).isEqualTo(Decision.NO_MATCH);
    assertThat(event.identityId()).isNull();
    assertThat(event.candidates()).isEmpty();
  }

  @Test
  void shouldEmbedABatchAsSoonAsItIsFullWithoutWaitingForTheClock() {
    startDriver(4);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    for (int i = 0; i < 3; i++) {
      send(frame(1, i, "alice"));
    }
    assertThat(events.isEmpty()).isTrue();
    send(frame(1, 3, "alice"));

    List<MatchEvent> out = events.readValuesToList();
    assertThat(out).hasSize(4).allSatisfy(e -> assertThat(e.decision()).isEqualTo(Decision.MATCH));
    assertThat(out).extracting(MatchEvent::frameId).containsExactly("frame-0", "frame-1", "frame-2", "frame-3");
  }

  @Test
  void shouldEmbedAPartialBatchOnceTheOldestFrameHasWaitedMaxWaitOfWallClockTime() {
    startDriver(32);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);

    send(frame(1, 0, "alice"));
    send(frame(2, 0, null));
    driver.advanceWallClockTime(MAX_WAIT.dividedBy(5));
    assertThat(events.isEmpty()).isTrue();

    flushByWallClock();

    List<TestRecord<String, MatchEvent>> out = events.readRecordsToList();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).key()).isEqualTo("cam-1");
    assertThat(out.get(0).value().mode()).isEqualTo(Mode.VERIFY);
    assertThat(out.get(1).value().mode()).isEqualTo(Mode.IDENTIFY);
    assertThat(driver.<Long, Object>getKeyValueStore(Topics.FRAME_BUFFER_STORE).approximateNumEntries())
        .isZero();
  }

  @Test
  void shouldKeepBufferedFramesInTheBufferStoreUntilTheirBatchIsEmbedded() {
    startDriver(32);
    send(frame(1, 0, null));
    send(frame(1, 1, null));

    var buffer = driver.<Long, io.siamesestreams.frames.BufferedFrame>getKeyValueStore(Topics.FRAME_BUFFER_STORE);
    assertThat(buffer.get(0L)).isNotNull();
    assertThat(buffer.get(1L)).isNotNull();
    assertThat(new String(buffer.get(1L).key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");

    flushByWallClock();
    assertThat(events.readValuesToList()).hasSize(2);
    assertThat(buffer.get(0L)).isNull();
    assertThat(buffer.get(1L)).isNull();
  }

  private void assertDeadLetter(String key, byte[] value, String expectedReason) {
    sendRaw(key, value);
    flushByWallClock();
    assertThat(events.isEmpty()).as("no event for " + expectedReason).isTrue();
    TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
    assertThat(header(letter.headers(), DeadLetters.REASON_HEADER)).isEqualTo(expectedReason);
    assertThat(header(letter.headers(), DeadLetters.DETAIL_HEADER)).isNotBlank();
    assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC_HEADER)).isEqualTo(Topics.DEFAULT_FRAMES);
    assertThat(letter.value()).isEqualTo(value);
    assertThat(letter.key()).isEqualTo(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] json(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] frameJson(String imageBase64) {
    return json("{\"frameId\":\"f\",\"cameraId\":\"cam-1\",\"timestamp\":1,\"image\":\"" + imageBase64 + "\"}");
  }

  @Test
  void shouldDeadLetterEveryKindOfInvalidFrameWithItsReasonAndOriginalBytes() {
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 8, ServiceConfig.MAX_WAIT_MS, MAX_WAIT.toMillis(), ServiceConfig.MAX_FRAME_BYTES, 4096)));
    String goodImage = TestBundles.identityImageBase64(1, 0);

    assertDeadLetter("cam-1", json("this is not json"), DeadLetters.NOT_JSON);
    assertDeadLetter("cam-1", json("[1,2,3]"), DeadLetters.NOT_JSON);
    assertDeadLetter("cam-1", json("{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":1}"), "MISSING_FIELD:image");
    assertDeadLetter("cam-1", json("{\"cameraId\":\"c\",\"timestamp\":1,\"image\":\"" + goodImage + "\"}"),
        "MISSING_FIELD:frameId");
    assertDeadLetter("cam-1", json("{\"frameId\":\"f\",\"cameraId\":\"c\",\"image\":\"" + goodImage + "\"}"),
        "MISSING_FIELD:timestamp");
    assertDeadLetter("cam-1", json("{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":1,\"image\":\"" + goodImage
        + "\",\"faceBox\":\"left\"}"), "INVALID_FIELD:faceBox");
    assertDeadLetter("cam-1", frameJson("***not base64***"), DeadLetters.INVALID_BASE64);
    assertDeadLetter("cam-1", frameJson(""), "MISSING_FIELD:image");
    assertDeadLetter("cam-1", frameJson(Base64.getEncoder().encodeToString(json("GIF89a not an image at all"))),
        "UNDECODABLE_IMAGE");
    assertDeadLetter("cam-1", frameJson(Base64.getEncoder().encodeToString(TestBundles.greyPng(32, 32))),
        "WRONG_IMAGE_SIZE");
    assertDeadLetter("cam-1", frameJson(Base64.getEncoder().encodeToString(
        TestImages.withDeclaredSize(TestBundles.greyPng(28, 28), 100_000, 100_000))), "IMAGE_DIMENSIONS_TOO_LARGE");
    assertDeadLetter("cam-1", frameJson("A".repeat(8000)), DeadLetters.RECORD_TOO_LARGE);
    assertDeadLetter(null, frameJson(goodImage), DeadLetters.NULL_KEY);
    assertDeadLetter("cam-1", null, DeadLetters.NULL_VALUE);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldAccountForEveryFrameAsEitherAnEventOrADeadLetter() {
    startDriver(5);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);
    int sent = 0;
    for (int i = 0; i < 23; i++) {
      if (i % 4 == 3) {
        sendRaw("cam-2", json("{broken " + i));
      } else {
        send(frame(i % 3, i, i % 2 == 0 ? "alice" : null));
      }
      sent++;
    }
    flushByWallClock();

    assertThat(events.getQueueSize() + deadLetters.getQueueSize()).isEqualTo(sent);
    assertThat(deadLetters.getQueueSize()).isEqualTo(5);
  }

  @Test
  void shouldDeadLetterAFrameIdSeenAgainOnTheSameCameraWithinTheDedupeWindow() {
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, MAX_WAIT.toMillis(), ServiceConfig.DEDUPE_WINDOW_MS,
        Duration.ofMinutes(1).toMillis())));
    Frame frame = frame(1, 0, null);
    byte[] value = Topics.FRAME_SERDE.toBytes(frame);

    frames.pipeInput(json("cam-1"), value, START);
    frames.pipeInput(json("cam-1"), value, START.plusSeconds(30));
    frames.pipeInput(json("cam-1"), value, START.plusSeconds(150));

    assertThat(events.readValuesToList()).extracting(MatchEvent::frameId)
        .containsExactly(frame.frameId(), frame.frameId());
    TestRecord<byte[], byte[]> duplicate = deadLetters.readRecord();
    assertThat(header(duplicate.headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.DUPLICATE_FRAME_ID);
    assertThat(duplicate.value()).isEqualTo(value);
    assertThat(duplicate.timestamp()).isEqualTo(START.plusSeconds(30).toEpochMilli());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldProcessRepeatedFrameIdsWhenDeduplicationIsOff() {
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, MAX_WAIT.toMillis(), ServiceConfig.DEDUPE_WINDOW_MS, 0)));
    Frame frame = frame(1, 0, null);

    send(frame);
    send(frame);

    assertThat(events.readValuesToList()).hasSize(2);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldEnrolAnIdentityIntoTemplatesOfThisModelAndThenVerifyAgainstIt() {
    startDriver(1);
    IdentityEnrollment enrollment = new IdentityEnrollment("carol", "Carol",
        List.of(TestBundles.identityImageBase64(4, 0), TestBundles.identityImageBase64(4, 1), "bad base64 !!"));
    identities.pipeInput(json("carol"), Topics.ENROLLMENT_SERDE.toBytes(enrollment));

    TestRecord<String, IdentityTemplates> templates = templatesOut.readRecord();
    assertThat(templates.key()).isEqualTo("carol");
    assertThat(templates.value().identityId()).isEqualTo("carol");
    assertThat(templates.value().displayName()).isEqualTo("Carol");
    assertThat(templates.value().modelId()).isEqualTo(TestBundles.MODEL_ID);
    assertThat(templates.value().modelVersion()).isEqualTo(TestBundles.MODEL_VERSION);
    assertThat(templates.value().templates()).hasSize(2);
    assertThat(templates.value().templates().get(1)).containsExactly(embed(4, 2).get(1), within(1e-6f));

    // What the enroller wrote is what every instance's gallery reads.
    templatesIn.pipeInput(templates.key(), templates.value());
    assertThat(siamese.gallery().index().contains("carol")).isTrue();
    send(frame(4, 5, "carol"));
    assertThat(events.readValue().decision()).isEqualTo(Decision.MATCH);
  }

  @Test
  void shouldCarryAJpegThumbnailOfTheFirstDecodableEnrolmentImageIntoTheGalleryUntilErasure() throws Exception {
    startDriver(1);
    byte[] first = TestBundles.identityImage(4, 0);
    identities.pipeInput(json("carol"), Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("carol", "Carol",
        List.of("bad base64 !!", Base64.getEncoder().encodeToString(first), TestBundles.identityImageBase64(4, 1)))));

    IdentityTemplates templates = templatesOut.readValue();
    byte[] jpeg = Base64.getDecoder().decode(templates.thumbnail());
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(jpeg));
    BufferedImage original = ImageIO.read(new ByteArrayInputStream(first));
    assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF);
    // A small image keeps its size (never enlarged); its pixels are the first decodable image's.
    assertThat(thumbnail.getWidth()).isEqualTo(original.getWidth());
    assertThat(thumbnail.getHeight()).isEqualTo(original.getHeight());
    assertThat(meanAbsoluteGreyDifference(thumbnail, original)).as("thumbnail vs first image").isLessThan(12.0);
    assertThat(meanAbsoluteGreyDifference(thumbnail, ImageIO.read(new ByteArrayInputStream(
        TestBundles.identityImage(4, 1))))).isGreaterThan(meanAbsoluteGreyDifference(thumbnail, original));

    templatesIn.pipeInput("carol", templates);
    assertThat(siamese.gallery().identity("carol").orElseThrow().thumbnail()).hasValueSatisfying(
        bytes -> assertThat(bytes).isEqualTo(jpeg));

    identities.pipeInput(json("carol"), (byte[]) null);
    templatesIn.pipeInput("carol", templatesOut.readValue());
    assertThat(siamese.gallery().identity("carol")).isEmpty();
  }

  /** Mean |red of {@code rgb} − first band of {@code grey}| over the pixels, 0–255. */
  private static double meanAbsoluteGreyDifference(BufferedImage rgb, BufferedImage grey) {
    BufferedImage a = rgb;
    BufferedImage b = grey;
    double sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        // The grey PNG's stored values, as a browser shows them (getRGB would convert them from linear grey).
        sum += Math.abs((a.getRGB(x, y) & 0xFF) - b.getRaster().getSample(x, y, 0));
      }
    }
    return sum / (a.getWidth() * a.getHeight());
  }

  @Test
  void shouldKeepAtMostTheConfiguredNumberOfTemplatesPerIdentity() {
    startDriver(TestTopologySettings.of(Map.of(ServiceConfig.BATCH_SIZE, 1, ServiceConfig.MAX_WAIT_MS, MAX_WAIT.toMillis(),
        ServiceConfig.MAX_TEMPLATES_PER_IDENTITY, 2)));
    List<String> images = new ArrayList<>();
    for (int v = 0; v < 5; v++) {
      images.add(TestBundles.identityImageBase64(4, v));
    }
    identities.pipeInput(json("dave"), Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("dave", null, images)));

    assertThat(templatesOut.readValue().templates()).hasSize(2);
  }

  @Test
  void shouldEraseAnIdentityFromTheGalleryOnATombstone() {
    startDriver(1);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);
    send(frame(1, 4, "alice"));
    assertThat(events.readValue().decision()).isEqualTo(Decision.MATCH);

    identities.pipeInput(json("alice"), (byte[]) null);
    TestRecord<String, IdentityTemplates> erased = templatesOut.readRecord();
    assertThat(erased.key()).isEqualTo("alice");
    assertThat(erased.value()).isNull();

    templatesIn.pipeInput("alice", null);
    assertThat(siamese.gallery().index().contains("alice")).isFalse();
    assertThat(driver.getKeyValueStore(Topics.GALLERY_STORE).get("alice")).isNull();
    send(frame(1, 5, "alice"));
    assertThat(events.readValue().decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
  }

  @Test
  void shouldNeverCompareFramesWithTemplatesOfAnotherModelVersion() {
    startDriver(1);
    enrolDirectly("alice", 1, "v0-older");

    send(frame(1, 0, "alice"));
    send(frame(1, 1, null));

    assertThat(events.readValue().decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
    MatchEvent identify = events.readValue();
    assertThat(identify.decision()).isEqualTo(Decision.NO_MATCH);
    assertThat(identify.candidates()).isEmpty();
    assertThat(siamese.ignoredTemplates()).isEqualTo(1);
  }

  @Test
  void shouldDropAnIdentityFromThisGalleryWhenItIsReEnrolledByAnotherModelVersion() {
    startDriver(1);
    enrolDirectly("alice", 1, TestBundles.MODEL_VERSION);
    enrolDirectly("alice", 1, "v2-newer");

    send(frame(1, 0, "alice"));

    assertThat(events.readValue().decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
  }

  private void assertEnrolmentDeadLetter(String key, byte[] value, String expectedReason) {
    identities.pipeInput(key == null ? null : json(key), value);
    assertThat(templatesOut.isEmpty()).isTrue();
    TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
    assertThat(header(letter.headers(), DeadLetters.REASON_HEADER)).isEqualTo(expectedReason);
    assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC_HEADER)).isEqualTo(Topics.DEFAULT_IDENTITIES);
    assertThat(letter.value()).isEqualTo(value);
  }

  @Test
  void shouldDeadLetterEnrolmentsThatCannotProduceTemplates() {
    startDriver(1);
    String good = TestBundles.identityImageBase64(1, 0);
    assertEnrolmentDeadLetter("erin", json("{\"identityId\":\"erin\",\"images\":[]}"), DeadLetters.NO_VALID_IMAGES);
    assertEnrolmentDeadLetter("erin", json("{\"identityId\":\"erin\",\"images\":[\"%%%\",\""
        + Base64.getEncoder().encodeToString(TestBundles.greyPng(10, 10)) + "\"]}"), DeadLetters.NO_VALID_IMAGES);
    assertEnrolmentDeadLetter("erin", json("{\"identityId\":\"erin\"}"), "MISSING_FIELD:images");
    assertEnrolmentDeadLetter("erin", json("{\"identityId\":\"frank\",\"images\":[\"" + good + "\"]}"),
        DeadLetters.KEY_MISMATCH);
    assertEnrolmentDeadLetter("erin", json("nope"), DeadLetters.NOT_JSON);
    assertEnrolmentDeadLetter(null, json("{\"images\":[\"" + good + "\"]}"), DeadLetters.NULL_KEY);
  }
}
