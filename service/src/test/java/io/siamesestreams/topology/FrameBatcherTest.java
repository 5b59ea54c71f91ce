package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
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
class FrameBatcherTest {

  private static final Duration MAX_WAIT = Duration.ofMillis(100);

  @TempDir
  static Path bundleDir;
  static LoadedModel model;

  private MockProcessorContext<byte[], FrameFlow> context;
  private KeyValueStore<Long, BufferedFrame> buffer;

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
  }

  private FrameBatcher processor(int batchSize) {
    FrameBatcher processor = new FrameBatcher(model.frameEmbedder(), 1 << 20, batchSize, MAX_WAIT, "batch",
        "dead-letters", ServiceMetrics.disabled());
    processor.init(context);
    return processor;
  }

  /** What the validator forwards for {@code frame}. */
  private static Record<byte[], FrameFlow.ValidFrame> valid(BufferedFrame frame, long timestamp) {
    FrameDecoder.Valid decoded = (FrameDecoder.Valid) new FrameDecoder(model.frameEmbedder(), 1 << 20)
        .decode(frame.key(), frame.value());
    return new Record<>(frame.key(), new FrameFlow.ValidFrame(decoded.frame(), decoded.image(), frame, null),
        timestamp);
  }

  /** The frame ids of every batch released to the embedder, in order. */
  private List<List<String>> batches() {
    return context.forwarded("batch").stream()
        .map(f -> ((FrameFlow.FrameBatch) f.record().value()).frames().stream()
            .map(frame -> frame.frame().frameId()).toList())
        .toList();
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
    FrameBatcher processor = processor(8);
    assertThat(context.forwarded()).isEmpty();

    punctuate(1_000_001L);

    assertThat(batches()).containsExactly(List.of("before-crash-5", "before-crash-6"));
    assertThat(buffer.approximateNumEntries()).isZero();

    // New frames continue the sequence after the restored ones.
    processor.process(valid(buffered("new", 1), 50L));
    assertThat(buffer.get(7L)).isNotNull();
  }

  @Test
  void shouldReleaseTheValidatorsDecodedFramesAsOneBatchWithoutDecodingThemAgain() {
    FrameBatcher processor = processor(2);
    Record<byte[], FrameFlow.ValidFrame> first = valid(buffered("first", 1), 50L);
    Record<byte[], FrameFlow.ValidFrame> second = valid(buffered("second", 2), 51L);

    processor.process(first);
    assertThat(context.forwarded()).isEmpty();
    assertThat(buffer.get(0L).value()).as("the store keeps the original bytes").isEqualTo(first.value().source().value());
    processor.process(second);

    assertThat(context.forwarded("batch")).singleElement().satisfies(f -> {
      List<FrameFlow.ValidFrame> frames = ((FrameFlow.FrameBatch) f.record().value()).frames();
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0)).isSameAs(first.value());
      assertThat(frames.get(1)).isSameAs(second.value());
    });
    assertThat(buffer.approximateNumEntries()).isZero();
  }

  @Test
  void shouldNotFlushBeforeTheOldestFrameHasWaitedTheMaximumWait() {
    FrameBatcher processor = processor(8);
    processor.process(valid(buffered("a", 1), 50L));

    punctuate(1_000_000L + MAX_WAIT.toMillis() - 1);
    assertThat(context.forwarded()).isEmpty();

    punctuate(1_000_000L + MAX_WAIT.toMillis());
    assertThat(batches()).containsExactly(List.of("a"));
    assertThat(context.forwarded("batch").get(0).record().timestamp()).isEqualTo(42L);
    assertThat(context.forwarded("batch").get(0).record().key()).isEqualTo("cam-9".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldDeadLetterAFrameThatNoLongerDecodesAtFlushTimeWithItsOriginalBytes() {
    byte[] broken = "{\"frameId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    buffer.put(0L, new BufferedFrame("cam-9".getBytes(StandardCharsets.UTF_8), broken, 1L, "frames", 1, 99));
    buffer.put(1L, buffered("fine", 1));
    processor(8);

    punctuate(2_000_000L);

    assertThat(context.forwarded("dead-letters")).singleElement().satisfies(f -> {
      assertThat(((FrameFlow.DeadLetter) f.record().value()).value()).isEqualTo(broken);
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.REASON_HEADER)).isEqualTo("MISSING_FIELD:cameraId");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_OFFSET_HEADER)).isEqualTo("99");
    });
    assertThat(batches()).containsExactly(List.of("fine"));
  }
}
