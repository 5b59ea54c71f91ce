package io.siamesestreams.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.testing.TinyBundle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTest {

  @TempDir Path tmp;

  @Test
  void shouldEmbedABatchLikeTheJavaReferenceWithUnitNorm() throws Exception {
    ModelBundle bundle = ModelBundle.load(TinyBundle.write(tmp));
    int count = 5;
    try (Encoder encoder = Encoder.open(bundle, 1)) {
      ImagePreprocessor pre = encoder.preprocessor();
      FloatBuffer batch = pre.allocate(count);
      Random random = new Random(3);
      for (int i = 0; i < count; i++) {
        byte[] pixels = new byte[TinyBundle.SIDE * TinyBundle.SIDE];
        random.nextBytes(pixels);
        pre.putRaw(pixels, TinyBundle.SIDE, TinyBundle.SIDE, 1, batch);
      }
      float[] images = new float[count * pre.floatsPerImage()];
      batch.duplicate().flip().get(images);

      float[] embeddings = encoder.embed(batch, count);

      assertThat(encoder.dimension()).isEqualTo(TinyBundle.DIM);
      assertThat(embeddings).hasSize(count * TinyBundle.DIM);
      for (int i = 0; i < count; i++) {
        double[] expected = TinyBundle.referenceEmbedding(images, i * pre.floatsPerImage());
        double norm = 0;
        for (int k = 0; k < TinyBundle.DIM; k++) {
          float actual = embeddings[i * TinyBundle.DIM + k];
          assertThat((double) actual).as("image %d component %d", i, k).isCloseTo(expected[k], within(1e-5));
          norm += actual * actual;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
      }
      assertThat(batch.position()).as("the caller's buffer position is untouched").isEqualTo(count * pre.floatsPerImage());
    }
  }

  @Test
  void shouldEmbedTheFirstImagesOfALargerBufferTheSameAsAlone() throws Exception {
    ModelBundle bundle = ModelBundle.load(TinyBundle.write(tmp));
    try (Encoder encoder = Encoder.open(bundle)) {
      ImagePreprocessor pre = encoder.preprocessor();
      FloatBuffer big = pre.allocate(4);
      FloatBuffer single = pre.allocate(1);
      byte[] pixels = new byte[64];
      new Random(4).nextBytes(pixels);
      pre.putRaw(pixels, 8, 8, 1, big);
      pre.putRaw(pixels, 8, 8, 1, single);

      assertThat(encoder.embed(big, 1)).containsExactly(encoder.embed(single, 1));
      assertThat(encoder.embed(big, 0)).isEmpty();
    }
  }

  @Test
  void shouldRejectABatchBufferTooSmallForTheCount() throws Exception {
    ModelBundle bundle = ModelBundle.load(TinyBundle.write(tmp));
    try (Encoder encoder = Encoder.open(bundle, 1)) {
      FloatBuffer two = encoder.preprocessor().allocate(2);
      assertThatThrownBy(() -> encoder.embed(two, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("holds 128 floats")
          .hasMessageContaining("3 images need 192");
    }
  }

  @Test
  void shouldRejectADirectBufferInForeignByteOrder() throws Exception {
    ModelBundle bundle = ModelBundle.load(TinyBundle.write(tmp));
    ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    FloatBuffer swapped = ByteBuffer.allocateDirect(64 * Float.BYTES).order(foreign).asFloatBuffer();
    try (Encoder encoder = Encoder.open(bundle, 1)) {
      assertThatThrownBy(() -> encoder.embed(swapped, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("native byte order");
    }
  }

  @Test
  void shouldRefuseToEmbedAfterClose() throws Exception {
    ModelBundle bundle = ModelBundle.load(TinyBundle.write(tmp));
    Encoder encoder = Encoder.open(bundle, 1);
    FloatBuffer one = encoder.preprocessor().allocate(1);
    encoder.close();
    encoder.close();
    assertThatThrownBy(() -> encoder.embed(one, 1)).isInstanceOf(IllegalStateException.class);
  }
}
