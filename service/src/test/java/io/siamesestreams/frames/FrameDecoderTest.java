package io.siamesestreams.frames;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.testing.TestBundles;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private final ImagePreprocessor preprocessor = new ImagePreprocessor(TestBundles.manifest("v1", true).input());
  private final FrameDecoder decoder = new FrameDecoder(preprocessor, 1 << 20);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldDecodeAValidFrameAndAppendItsNormalisedPixels() {
    String json = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\""
        + TestBundles.identityImageBase64(1, 0) + "\",\"claimedIdentity\":\"alice\",\"extra\":true}";
    FloatBuffer dst = preprocessor.allocate(2);

    FrameDecoder.Result result = decoder.decode(utf8("c"), utf8(json), dst);

    assertThat(result).isInstanceOf(FrameDecoder.Valid.class);
    Frame frame = ((FrameDecoder.Valid) result).frame();
    assertThat(frame.frameId()).isEqualTo("f");
    assertThat(frame.timestamp()).isEqualTo(12L);
    assertThat(frame.hasClaim()).isTrue();
    assertThat(dst.position()).isEqualTo(28 * 28);
    int firstPixel = TestBundles.identityPixels(1, 0)[0];
    assertThat(dst.get(0)).isEqualTo((firstPixel / 255f - 0.5f) / 0.5f, org.assertj.core.api.Assertions.within(1e-5f));
  }

  @Test
  void shouldLeaveTheDestinationUntouchedWhenTheImageIsInvalid() {
    FloatBuffer dst = preprocessor.allocate(1);
    String json = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\"AAAA\"}";

    FrameDecoder.Result result = decoder.decode(utf8("c"), utf8(json), dst);

    assertThat(result).isEqualTo(new FrameDecoder.Invalid("UNDECODABLE_IMAGE",
        ((FrameDecoder.Invalid) result).detail()));
    assertThat(dst.position()).isZero();
  }

  @Test
  void shouldTreatAnUnclaimedOrBlankClaimAsIdentify() {
    assertThat(new Frame("f", "c", 1, "x", null, null).hasClaim()).isFalse();
    assertThat(new Frame("f", "c", 1, "x", "  ", null).hasClaim()).isFalse();
  }

  @Test
  void shouldRejectATimestampThatIsNotAnInteger() {
    String json = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":\"yesterday\",\"image\":\"AAAA\"}";

    assertThat(decoder.decode(utf8("c"), utf8(json)))
        .isInstanceOfSatisfying(FrameDecoder.Invalid.class,
            invalid -> assertThat(invalid.reason()).isEqualTo("MISSING_FIELD:timestamp"));
  }
}
