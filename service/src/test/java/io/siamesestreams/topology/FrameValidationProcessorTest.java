package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.frames.DecodedFrameHandoff;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator alone: routing to the valid child or the dead-letter child. */
class FrameValidationProcessorTest {

  private MockProcessorContext<byte[], byte[]> context;
  private FrameValidationProcessor processor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setRecordMetadata("frames", 3, 1234);
    processor = new FrameValidationProcessor(
        new ImagePreprocessor(TestBundles.manifest("v1", true).input()), 1 << 20, Duration.ZERO, "valid", "dlq");
    processor.init(context);
  }

  @Test
  void shouldPassAValidFrameOnUnchangedToTheValidChild() {
    Frame frame = new Frame("f1", "cam", 5L, TestBundles.identityImageBase64(1, 0), "alice",
        new Frame.FaceBox(1, 2, 3, 4));
    Record<byte[], byte[]> record = new Record<>("cam".getBytes(StandardCharsets.UTF_8),
        Topics.FRAME_SERDE.toBytes(frame), 77L);

    processor.process(record);

    assertThat(context.forwarded()).singleElement().satisfies(f -> {
      assertThat(f.childName()).contains("valid");
      assertThat(f.record()).isSameAs(record);
    });
  }

  @Test
  void shouldHandTheDecodedFrameToTheValidChildWhenAskedTo() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(TestBundles.manifest("v1", true).input());
    FrameValidationProcessor handingOff = new FrameValidationProcessor(preprocessor, 1 << 20, Duration.ZERO, "valid",
        "dlq", io.siamesestreams.metrics.ServiceMetrics.disabled(), true);
    handingOff.init(context);
    Frame frame = new Frame("f2", "cam", 5L, TestBundles.identityImageBase64(1, 0), null, null);
    byte[] value = Topics.FRAME_SERDE.toBytes(frame);

    handingOff.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), value, 77L));

    DecodedFrameHandoff.Decoded decoded = DecodedFrameHandoff.take(value);
    assertThat(decoded).isNotNull();
    assertThat(decoded.frame()).isEqualTo(frame);
    assertThat(decoded.pixels()).hasSize(preprocessor.floatsPerImage());
    assertThat(DecodedFrameHandoff.take(value)).as("taken once").isNull();
  }

  @Test
  void shouldSendAnInvalidFrameToTheDeadLetterChildKeepingBytesTimestampAndHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
    byte[] value = "not json at all".getBytes(StandardCharsets.UTF_8);

    processor.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), value, 77L, headers));

    assertThat(context.forwarded()).singleElement().satisfies(f -> {
      assertThat(f.childName()).contains("dlq");
      assertThat(f.record().value()).isEqualTo(value);
      assertThat(f.record().timestamp()).isEqualTo(77L);
      assertThat(DeadLetters.header(f.record().headers(), "trace-id")).isEqualTo("abc");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.NOT_JSON);
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_TOPIC_HEADER)).isEqualTo("frames");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_PARTITION_HEADER)).isEqualTo("3");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_OFFSET_HEADER)).isEqualTo("1234");
    });
  }
}
