package io.siamesestreams.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TestTimeFlipTest {

  private static final int BATCH = 3;
  private static final int HEIGHT = 4;
  private static final int WIDTH = 5;
  private static final int DIM = 3;

  /** A linear encoder that is not mirror-symmetric: flatten, then a random Gemm, optionally L2-normalised. */
  private static byte[] encoder(boolean normalise) {
    Random random = new Random(3);
    float[] weights = new float[DIM * HEIGHT * WIDTH];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextGaussian();
    }
    OnnxGraphWriter graph = new OnnxGraphWriter("encoder")
        .input("image", "N", 1, HEIGHT, WIDTH)
        .initializer("w", weights, DIM, HEIGHT * WIDTH)
        .initializer("b", new float[DIM], DIM)
        .node("Flatten", new String[] {"image"}, new String[] {"flat"}, Map.of("axis", 1L))
        .node("Gemm", new String[] {"flat", "w", "b"}, new String[] {normalise ? "raw" : "embedding"}, Map.of("transB", 1L));
    if (normalise) {
      graph.node("ReduceL2", new String[] {"raw"}, new String[] {"norm"}, Map.of("axes", new long[] {1}, "keepdims", 1L))
          .node("Div", new String[] {"raw", "norm"}, new String[] {"embedding"}, Map.of());
    }
    return graph.output("embedding", "N", DIM).toBytes();
  }

  private static float[][] run(byte[] model, float[] images, int batch) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {batch, 1, HEIGHT, WIDTH});
        OrtSession.Result result = session.run(Map.of("image", input))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  private static float[] images() {
    Random random = new Random(11);
    float[] images = new float[BATCH * HEIGHT * WIDTH];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    return images;
  }

  private static float[] mirrored(float[] images) {
    float[] mirrored = new float[images.length];
    for (int n = 0; n < BATCH; n++) {
      for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < WIDTH; x++) {
          int row = (n * HEIGHT + y) * WIDTH;
          mirrored[row + x] = images[row + WIDTH - 1 - x];
        }
      }
    }
    return mirrored;
  }

  @Test
  void theWrappedEncoderReturnsTheMeanOfAnImageAndItsMirrorRenormalised() throws Exception {
    byte[] plain = encoder(true);
    float[] images = images();
    float[][] direct = run(plain, images, BATCH);
    float[][] ofMirror = run(plain, mirrored(images), BATCH);

    float[][] wrapped = run(TestTimeFlip.wrap(plain, true), images, BATCH);

    assertThat(wrapped).hasNumberOfRows(BATCH);
    for (int n = 0; n < BATCH; n++) {
      double norm = 0;
      float[] mean = new float[DIM];
      for (int k = 0; k < DIM; k++) {
        mean[k] = (direct[n][k] + ofMirror[n][k]) / 2;
        norm += mean[k] * mean[k];
      }
      for (int k = 0; k < DIM; k++) {
        assertThat(wrapped[n][k]).as("image %d, component %d", n, k).isCloseTo((float) (mean[k] / Math.sqrt(norm)), within(1e-5f));
      }
      assertThat(wrapped[n][0]).as("the mirror changes the embedding").isNotCloseTo(direct[n][0], within(1e-3f));
    }
  }

  @Test
  void anUnnormalisedEncoderGetsThePlainMean() throws Exception {
    byte[] plain = encoder(false);
    float[] images = images();
    float[][] direct = run(plain, images, BATCH);
    float[][] ofMirror = run(plain, mirrored(images), BATCH);

    float[][] wrapped = run(TestTimeFlip.wrap(plain, false), images, BATCH);

    for (int n = 0; n < BATCH; n++) {
      for (int k = 0; k < DIM; k++) {
        assertThat(wrapped[n][k]).isCloseTo((direct[n][k] + ofMirror[n][k]) / 2, within(1e-5f));
      }
    }
  }

  @Test
  void aModelThatIsNotAnEncoderIsRefused() {
    byte[] head = new OnnxGraphWriter("head").input("left", "N", 4).input("right", "N", 4)
        .node("Sub", new String[] {"left", "right"}, new String[] {"d"}, Map.of()).output("d", "N", 4).toBytes();

    assertThatThrownBy(() -> TestTimeFlip.wrap(head, true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one input and one output");
    assertThatThrownBy(() -> TestTimeFlip.wrap(new byte[] {1, 2, 3}, true)).hasMessageContaining("not an ONNX model");
  }
}
