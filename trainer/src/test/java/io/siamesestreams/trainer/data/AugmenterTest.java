package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  static FloatBuffer buffer(float[] values) {
    FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(values);
    return buffer;
  }

  static float[] image(FloatBuffer batch, int index, int floats) {
    float[] result = new float[floats];
    for (int j = 0; j < floats; j++) {
      result[j] = batch.get(index * floats + j);
    }
    return result;
  }

  @Test
  void flipOnlyShouldLeaveEachImageUnchangedOrMirrored() {
    float[] original = {1, 2, 3, 4, 5, 6};
    float[] mirrored = {3, 2, 1, 6, 5, 4};
    int count = 40;
    float[] values = new float[count * 6];
    for (int i = 0; i < count; i++) {
      System.arraycopy(original, 0, values, i * 6, 6);
    }
    FloatBuffer batch = buffer(values);

    new Augmenter(1, 2, 3, 0, true, new Random(5)).apply(batch, count);

    int flipped = 0;
    for (int i = 0; i < count; i++) {
      float[] result = image(batch, i, 6);
      assertThat(result).satisfiesAnyOf(r -> assertThat(r).containsExactly(original), r -> assertThat(r).containsExactly(mirrored));
      flipped += result[0] == 3 ? 1 : 0;
    }
    assertThat(flipped).isBetween(8, 32);
  }

  @Test
  void shiftShouldMoveThePixelsAndFillWithTheChannelMinimum() {
    // 3×3 images, background −1, one bright pixel 5 in the centre.
    int count = 30;
    float[] values = new float[count * 9];
    java.util.Arrays.fill(values, -1f);
    for (int i = 0; i < count; i++) {
      values[i * 9 + 4] = 5f;
    }
    FloatBuffer batch = buffer(values);
    batch.position(7);

    new Augmenter(1, 3, 3, 1, false, new Random(3)).apply(batch, count);

    assertThat(batch.position()).isEqualTo(7);
    int moved = 0;
    for (int i = 0; i < count; i++) {
      float[] result = image(batch, i, 9);
      int bright = 0;
      for (float v : result) {
        assertThat(v).isIn(-1f, 5f);
        bright += v == 5f ? 1 : 0;
      }
      assertThat(bright).isEqualTo(1);
      moved += result[4] == 5f ? 0 : 1;
    }
    assertThat(moved).isPositive();
  }

  @Test
  void shiftedInPixelsShouldTakeTheGivenBackground() {
    // One 1×3 row image 1 2 3; with maxShift 2 some shift is non-zero for this seed.
    FloatBuffer batch = buffer(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
    new Augmenter(1, 1, 3, 2, false, new Random(1), new float[] {9f}).apply(batch, 4);

    boolean sawBackground = false;
    for (int j = 0; j < 12; j++) {
      assertThat(batch.get(j)).isIn(1f, 2f, 3f, 9f);
      sawBackground |= batch.get(j) == 9f;
    }
    assertThat(sawBackground).isTrue();
  }

  @Test
  void sameSeedShouldGiveTheSameAugmentation() {
    float[] values = new float[5 * 16];
    for (int j = 0; j < values.length; j++) {
      values[j] = j % 7;
    }
    FloatBuffer a = buffer(values);
    FloatBuffer b = buffer(values);
    new Augmenter(1, 4, 4, 2, true, new Random(8)).apply(a, 5);
    new Augmenter(1, 4, 4, 2, true, new Random(8)).apply(b, 5);

    assertThat(image(a, 0, 80)).containsExactly(image(b, 0, 80));
    assertThat(image(a, 0, 80)).isNotEqualTo(values);
  }

  @Test
  void erasingShouldZeroOneRectangleOfTwoToTwentyFivePercentInAboutTheAskedShareOfImages() {
    int count = 400;
    int side = 20;
    float[] values = new float[count * side * side];
    java.util.Arrays.fill(values, 1f);
    FloatBuffer batch = buffer(values);

    new Augmenter(1, side, side, 0, false, new Random(8)).withErasing(0.5f).apply(batch, count);

    int erased = 0;
    for (int i = 0; i < count; i++) {
      float[] image = image(batch, i, side * side);
      int zeros = 0;
      int top = side;
      int bottom = -1;
      int left = side;
      int right = -1;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          if (image[y * side + x] == 0f) {
            zeros++;
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
            left = Math.min(left, x);
            right = Math.max(right, x);
          } else {
            assertThat(image[y * side + x]).isEqualTo(1f);
          }
        }
      }
      if (zeros > 0) {
        erased++;
        assertThat(zeros).as("a filled rectangle").isEqualTo((bottom - top + 1) * (right - left + 1));
        assertThat(zeros).isBetween(2, (int) Math.ceil(0.3 * side * side));
      }
    }
    assertThat(erased).isBetween(160, 240);
  }
}
