package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.DecodedFrameHandoff;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.ExactGalleryIndex;
import io.siamesestreams.identity.GalleryMatcher;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batching processor alone, on a mock context and an in-memory buffer store. */
class FrameBatchProcessorTest {

  private static final Duration MAX_WAIT = Duration.ofMillis(100);

  @TempDir
  static Path bundleDir;
  static LoadedModel model;

  private MockProcessorContext<Object, Object> context;
  private KeyValueStore<Long, BufferedFrame> buffer;
  private ExactGalleryIndex gallery;

  @BeforeAll
  static void openModel() {
    model = LoadedModel.open(TestBundles.write(bundleDir.resolve("bundle")), 1);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(1_000_000L);
    context.setRecordMetadata(Topics.DEFAULT_FRAMES, 0, 0);
    buffer = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Topics.FRAME_BUFFER_STORE), Serdes.Long(),
        BufferedFrame.serde()).withLoggingDisabled().build();
    buffer.init(context.getStateStoreContext(), buffer);
    context.addStateStore(buffer);
    gallery = new ExactGalleryIndex(model.distance(), TestBundles.DIMENSION);
  }

  private FrameBatchProcessor processor(int batchSize) {
    FrameBatchProcessor processor = new FrameBatchProcessor(model,
        new GalleryMatcher(gallery, model.scorer(), model.modelId(), model.modelVersion(), 3), batchSize, MAX_WAIT,
        1 << 20, "events", "dead-letters");
    processor.init(context);
    return processor;
  }

  private static BufferedFrame buffered(String frameId, int identity) {
    Frame frame = new Frame(frameId, "cam-9", 42L, TestBundles.identityImageBase64(identity, 0), null, null);
    return new BufferedFrame("cam-9".getBytes(StandardCharsets.UTF_8), Topics.FRAME_SERDE.toBytes(frame), 42L,
        Topics.DEFAULT_FRAMES, 0, 7);
  }

  private void punctuate(long nowMs) {
    context.setCurrentSystemTimeMs(nowMs);
    context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(nowMs));
  }

  @Test
  void shouldScheduleAWallClockPunctuatorAtHalfTheMaximumWait() {
    processor(8);

    assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
      assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
      assertThat(p.getInterval()).isEqualTo(MAX_WAIT.dividedBy(2));
    });
  }

  @Test
  void shouldFlushFramesLeftInTheStoreByACrashAtTheFirstPunctuationAfterARestart() {
    // What a restored changelog leaves behind: frames buffered before the crash, sequence 5 and 6.
    buffer.put(5L, buffered("before-crash-5", 1));
    buffer.put(6L, buffered("before-crash-6", 2));
    FrameBatchProcessor processor = processor(8);
    assertThat(context.forwarded()).isEmpty();

    punctuate(1_000_001L);

    List<MatchEvent> events = context.forwarded("events").stream()
        .map(f -> (MatchEvent) f.record().value()).toList();
    assertThat(events).extracting(MatchEvent::frameId).containsExactly("before-crash-5", "before-crash-6");
    assertThat(buffer.approximateNumEntries()).isZero();

    // New frames continue the sequence after the restored ones.
    processor.process(new Record<>("cam-9".getBytes(StandardCharsets.UTF_8), buffered("new", 1).value(), 50L));
    assertThat(buffer.get(7L)).isNotNull();
  }

  @Test
  void shouldEmbedTheValidatorsDecodedFrameInsteadOfDecodingTheBytesAgain() throws Exception {
    FrameBatchProcessor processor = processor(2);
    byte[] handedOff = buffered("from-bytes-1", 1).value();
    float[] pixels = new float[model.encoder().preprocessor().floatsPerImage()];
    model.encoder().preprocessor().putEncoded(java.util.Base64.getDecoder().decode(TestBundles.identityImageBase64(1, 0)),
        java.nio.FloatBuffer.wrap(pixels));
    Frame decoded = new Frame("from-handoff", "cam-9", 42L, "not decoded again", null, null);
    DecodedFrameHandoff.offer(handedOff, new DecodedFrameHandoff.Decoded(decoded, pixels));
    processor.process(new Record<>("cam-9".getBytes(StandardCharsets.UTF_8), handedOff, 50L));
    // An offer for another value array is not taken: that frame is decoded from its bytes.
    DecodedFrameHandoff.offer(new byte[] {1}, new DecodedFrameHandoff.Decoded(decoded, pixels));
    processor.process(new Record<>("cam-9".getBytes(StandardCharsets.UTF_8), buffered("from-bytes-2", 2).value(),
        51L));

    assertThat(context.forwarded("events")).extracting(f -> ((MatchEvent) f.record().value()).frameId())
        .containsExactly("from-handoff", "from-bytes-2");
    assertThat(buffer.approximateNumEntries()).isZero();
  }

  @Test
  void shouldNotFlushBeforeTheOldestFrameHasWaitedTheMaximumWait() {
    FrameBatchProcessor processor = processor(8);
    processor.process(new Record<>("cam-9".getBytes(StandardCharsets.UTF_8), buffered("a", 1).value(), 50L));

    punctuate(1_000_000L + MAX_WAIT.toMillis() - 1);
    assertThat(context.forwarded()).isEmpty();

    punctuate(1_000_000L + MAX_WAIT.toMillis());
    assertThat(context.forwarded("events")).hasSize(1);
    assertThat(context.forwarded("events").get(0).record().timestamp()).isEqualTo(50L);
    assertThat(context.forwarded("events").get(0).record().key()).isEqualTo("cam-9");
  }

  @Test
  void shouldDeadLetterAFrameThatNoLongerDecodesAtFlushTimeWithItsOriginalBytes() {
    byte[] broken = "{\"frameId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    buffer.put(0L, new BufferedFrame("cam-9".getBytes(StandardCharsets.UTF_8), broken, 1L, "frames", 1, 99));
    buffer.put(1L, buffered("fine", 1));
    gallery.put("alice", List.of(new float[TestBundles.DIMENSION]));
    processor(8);

    punctuate(2_000_000L);

    assertThat(context.forwarded("dead-letters")).singleElement().satisfies(f -> {
      assertThat((byte[]) f.record().value()).isEqualTo(broken);
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.REASON_HEADER)).isEqualTo("MISSING_FIELD:cameraId");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_OFFSET_HEADER)).isEqualTo("99");
    });
    assertThat(context.forwarded("events")).singleElement()
        .satisfies(f -> assertThat(((MatchEvent) f.record().value()).decision()).isEqualTo(Decision.NO_MATCH));
  }
}
