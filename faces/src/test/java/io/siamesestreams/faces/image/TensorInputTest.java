package io.siamesestreams.faces.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TensorInputTest {

  @Test
  void shouldResampleWithoutHalfPixelCentresLikeTensorFlowJs() {
    // One row 0, 100, 200, 255 (grey) upscaled to 8: src = d · 4 / 8, between floor and ceil.
    byte[] rgb = new byte[4 * 4 * 3];
    int[] row = {0, 100, 200, 255};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 4 + x) * 3 + c] = (byte) row[x];
        }
      }
    }
    FloatBuffer out = TensorInput.allocate(1, 8);

    TensorInput.put(new RgbImage(4, 4, rgb), TensorInput.Padding.BOTTOM_RIGHT, 8, new float[] {0, 0, 0}, 1f, out);

    float[] firstRow = new float[8];
    out.get(0, firstRow);
    assertThat(firstRow).containsExactly(0f, 50f, 100f, 150f, 200f, 227.5f, 255f, 255f);
  }

  @Test
  void shouldPadBottomRightForTheDetectorAndCentreForLandmarks() {
    // A 2 wide × 4 high white image in a 4 × 4 square, no resampling.
    byte[] white = new byte[2 * 4 * 3];
    Arrays.fill(white, (byte) 255);
    RgbImage image = new RgbImage(2, 4, white);

    FloatBuffer bottomRight = TensorInput.allocate(1, 4);
    TensorInput.put(image, TensorInput.Padding.BOTTOM_RIGHT, 4, new float[] {0, 0, 0}, 255f, bottomRight);
    FloatBuffer centred = TensorInput.allocate(1, 4);
    TensorInput.put(image, TensorInput.Padding.CENTERED, 4, new float[] {0, 0, 0}, 255f, centred);

    float[] row = new float[4];
    bottomRight.get(0, row);
    assertThat(row).containsExactly(1f, 1f, 0f, 0f);
    centred.get(0, row);
    assertThat(row).containsExactly(0f, 1f, 1f, 0f);
  }

  @Test
  void shouldSubtractTheMeanThenDivide() {
    byte[] rgb = {(byte) 200, 100, 50};
    FloatBuffer out = TensorInput.allocate(1, 1);

    TensorInput.put(new RgbImage(1, 1, rgb), TensorInput.Padding.BOTTOM_RIGHT, 1, new float[] {122.782f, 117.001f, 104.298f}, 255f, out);

    assertThat(out.get(0)).isEqualTo((200f - 122.782f) / 255f);
    assertThat(out.get(1)).isEqualTo((100f - 117.001f) / 255f);
    assertThat(out.get(2)).isEqualTo((50f - 104.298f) / 255f);
  }
}
