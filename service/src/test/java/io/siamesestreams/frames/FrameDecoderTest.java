package io.siamesestreams.frames;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private final ImagePreprocessor preprocessor = new ImagePreprocessor(TestBundles.manifest("v1", true).input());
  private final WholeImageEmbedder embedder = new WholeImageEmbedder(preprocessor);
  private final FrameDecoder decoder = new FrameDecoder(embedder, 1 << 20);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldDecodeAValidFrameAndItsImageToTheNormalisedPixels() {
    String json = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\""
        + TestBundles.identityImageBase64(1, 0) + "\",\"claimedIdentity\":\"alice\",\"extra\":true}";

    FrameDecoder.Result result = decoder.decode(utf8("c"), utf8(json));

    assertThat(result).isInstanceOf(FrameDecoder.Valid.class);
    Frame frame = ((FrameDecoder.Valid) result).frame();
    assertThat(frame.frameId()).isEqualTo("f");
    assertThat(frame.timestamp()).isEqualTo(12L);
    assertThat(frame.hasClaim()).isTrue();
    float[] pixels = embedder.frameInputs(((FrameDecoder.Valid) result).image(), null, false).get(0).pixels();
    assertThat(pixels).hasSize(28 * 28);
    int firstPixel = TestBundles.identityPixels(1, 0)[0];
    assertThat(pixels[0]).isEqualTo((firstPixel / 255f - 0.5f) / 0.5f, org.assertj.core.api.Assertions.within(1e-5f));
  }

  @Test
  void shouldRejectAnUndecodableImageWithTheImageReason() {
    String json = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\"AAAA\"}";

    FrameDecoder.Result result = decoder.decode(utf8("c"), utf8(json));

    assertThat(result).isEqualTo(new FrameDecoder.Invalid("UNDECODABLE_IMAGE",
        ((FrameDecoder.Invalid) result).detail()));
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

  @Test
  void shouldReadAlignedAndRejectItTogetherWithAFaceBox() {
    String image = TestBundles.identityImageBase64(1, 0);
    String chip = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\"" + image + "\",\"aligned\":true}";
    String both = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\"" + image
        + "\",\"aligned\":true,\"faceBox\":{\"x\":0,\"y\":0,\"width\":4,\"height\":4}}";
    String notABoolean = "{\"frameId\":\"f\",\"cameraId\":\"c\",\"timestamp\":12,\"image\":\"" + image
        + "\",\"aligned\":[1]}";

    assertThat(decoder.decode(utf8("c"), utf8(chip))).isInstanceOfSatisfying(FrameDecoder.Valid.class,
        valid -> assertThat(valid.frame().isAligned()).isTrue());
    assertThat(decoder.decode(utf8("c"), utf8(both))).isInstanceOfSatisfying(FrameDecoder.Invalid.class,
        invalid -> assertThat(invalid.reason()).isEqualTo("INVALID_FIELD:aligned"));
    assertThat(decoder.decode(utf8("c"), utf8(notABoolean))).isInstanceOfSatisfying(FrameDecoder.Invalid.class,
        invalid -> assertThat(invalid.reason()).isEqualTo("INVALID_FIELD:aligned"));
    assertThat(new Frame("f", "c", 1, "x", null, null).isAligned()).isFalse();
  }
}
