package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.frames.WholeImageEmbedder;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.TestBundles;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator alone: routing to the valid child or the dead-letter child. */
class FrameValidatorTest {

  private MockProcessorContext<byte[], FrameFlow> context;
  private FrameValidator processor;
  private ImagePreprocessor preprocessor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setRecordMetadata("frames", 3, 1234);
    preprocessor = new ImagePreprocessor(TestBundles.manifest("v1", true).input());
    processor = new FrameValidator(new WholeImageEmbedder(preprocessor), 1 << 20, "valid", "dlq",
        ServiceMetrics.disabled());
    processor.init(context);
  }

  @Test
  void shouldPassAValidFrameOnParsedAndDecodedOnceWithItsOriginalRecordToTheValidChild() throws Exception {
    Frame frame = new Frame("f1", "cam", 5L, TestBundles.identityImageBase64(1, 0), "alice",
        FaceBox.ofPixels(1, 2, 3, 4));
    byte[] value = Topics.FRAME_SERDE.toBytes(frame);
    Record<byte[], byte[]> record = new Record<>("cam".getBytes(StandardCharsets.UTF_8), value, 77L);

    processor.process(record);

    float[] expected = new float[preprocessor.floatsPerImage()];
    preprocessor.putEncoded(Base64.getDecoder().decode(frame.image()), FloatBuffer.wrap(expected));
    assertThat(context.forwarded()).singleElement().satisfies(f -> {
      assertThat(f.childName()).contains("valid");
      assertThat(f.record().key()).isEqualTo(record.key());
      assertThat(f.record().timestamp()).isEqualTo(77L);
      FrameFlow.ValidFrame valid = (FrameFlow.ValidFrame) f.record().value();
      assertThat(valid.frame()).isEqualTo(frame);
      assertThat(valid.source().value()).isSameAs(value);
      assertThat(valid.source().sourceOffset()).isEqualTo(1234L);
      List<FrameEmbedder.EncoderInput> inputs = new WholeImageEmbedder(preprocessor).frameInputs(valid.image(), null, false);
      assertThat(inputs).singleElement().satisfies(input -> assertThat(input.pixels()).containsExactly(expected));
    });
  }

  @Test
  void shouldSendAnInvalidFrameToTheDeadLetterChildKeepingBytesTimestampAndHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
    byte[] value = "not json at all".getBytes(StandardCharsets.UTF_8);

    processor.process(new Record<>("cam".getBytes(StandardCharsets.UTF_8), value, 77L, headers));

    assertThat(context.forwarded()).singleElement().satisfies(f -> {
      assertThat(f.childName()).contains("dlq");
      assertThat(((FrameFlow.DeadLetter) f.record().value()).value()).isEqualTo(value);
      assertThat(f.record().timestamp()).isEqualTo(77L);
      assertThat(DeadLetters.header(f.record().headers(), "trace-id")).isEqualTo("abc");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.NOT_JSON);
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_TOPIC_HEADER)).isEqualTo("frames");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_PARTITION_HEADER)).isEqualTo("3");
      assertThat(DeadLetters.header(f.record().headers(), DeadLetters.SOURCE_OFFSET_HEADER)).isEqualTo("1234");
    });
  }
}
