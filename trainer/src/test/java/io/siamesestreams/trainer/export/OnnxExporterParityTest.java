package io.siamesestreams.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.siamesestreams.trainer.eval.PlattScaling;
import io.siamesestreams.trainer.model.EncoderSpec;
import io.siamesestreams.trainer.model.SiameseNetwork;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The exported ONNX graphs compute what the DJL network computes, in ONNX Runtime. */
class OnnxExporterParityTest {
  private static final double TOLERANCE = 1e-5;
  private static NDManager manager;
  private static OrtEnvironment env;

  @BeforeAll
  static void start() {
    System.setProperty("ai.djl.offline", "true");
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed(7);
    manager = engine.newBaseManager(Device.cpu());
    env = OrtEnvironment.getEnvironment();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @ParameterizedTest(name = "batchNorm={0}, convsPerStage={1}")
  @CsvSource({"false, 1", "true, 1", "true, 2"})
  void shouldExportAnEncoderThatMatchesDjlWithinOneInHundredThousand(boolean batchNorm, int convsPerStage)
      throws Exception {
    EncoderSpec spec = new EncoderSpec(1, 28, 28, List.of(4, 8), 16, 8, batchNorm, convsPerStage);
    List<String> operators = assertExportMatchesDjl(spec, batchNorm);
    assertThat(operators).as("batch norm folded into the convolutions")
        .doesNotContain("BatchNormalization")
        .filteredOn("Conv"::equals).hasSize(2 * convsPerStage);
  }

  @ParameterizedTest(name = "widths={0}, units per stage={1}")
  @CsvSource({"'4,8', 1", "'4,4,8', 2", "'4,8,8,8', 1"})
  void shouldExportAResidualEncoderThatMatchesDjlWithinOneInHundredThousand(String widths, int unitsPerStage)
      throws Exception {
    List<Integer> convWidths = java.util.Arrays.stream(widths.split(",")).map(Integer::valueOf).toList();
    EncoderSpec spec = new EncoderSpec(
        1, 28, 28, convWidths, 16, 8, true, unitsPerStage, EncoderSpec.Architecture.RESNET);
    List<String> operators = assertExportMatchesDjl(spec, true);
    int units = convWidths.size() * unitsPerStage;
    int projections = convWidths.size() - 1; // the strided first unit of every stage after the first
    assertThat(operators).as("batch norm folded into the convolutions").doesNotContain("BatchNormalization");
    assertThat(operators).filteredOn("Conv"::equals).hasSize(1 + 2 * units + projections);
    assertThat(operators).filteredOn("Add"::equals).hasSize(units);
    assertThat(operators).filteredOn("GlobalAveragePool"::equals).hasSize(1);
  }

  /**
   * Moves the batch norms of a fresh {@code spec} network away from their initial state, checks that the exported
   * encoder computes what DJL computes (5 images, then 1) and returns the exported graph's operator types in order.
   */
  private static List<String> assertExportMatchesDjl(EncoderSpec spec, boolean batchNorm) throws Exception {
    SiameseNetwork network = SiameseNetwork.create(spec).initialize(manager);
    ParameterStore parameters = new ParameterStore(manager, false);
    Random random = new Random(3);
    // Scales and shifts away from their initial 1 and 0, so that folding them into the convolutions is exercised.
    randomizeBatchNorms(network.encoder(), random);
    // Training-mode passes move the batch-norm running statistics away from their initial 0 and 1.
    for (int i = 0; i < 3; i++) {
      try (NDManager step = manager.newSubManager()) {
        network.embed(parameters, step.create(randomImages(random, 16, spec), new Shape(16, 1, 28, 28)), true);
      }
    }
    if (batchNorm) {
      float[] runningMean =
          network.encoder().getChildren().get(1).getValue().getParameters().get("runningMean").getArray().toFloatArray();
      double absSum = 0;
      for (float v : runningMean) {
        absSum += Math.abs(v);
      }
      assertThat(absSum).as("|running mean| after training passes").isGreaterThan(1e-3);
    }

    int batch = 5;
    FloatBuffer images = randomImages(random, batch, spec);
    float[] expected;
    try (NDManager step = manager.newSubManager()) {
      expected = network.embed(parameters, step.create(images, new Shape(batch, 1, 28, 28)), false).toFloatArray();
    }
    byte[] model = OnnxExporter.encoderGraph(network, Map.of("test", "parity")).toBytes();
    List<String> operators = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(model).getGraph().getNodeList().stream()
        .map(ai.onnx.proto.OnnxMl.NodeProto::getOpType).toList();

    float[] actual = runEncoder(model, images, batch, spec);
    assertThat(maxAbsDiff(expected, actual)).isLessThanOrEqualTo(TOLERANCE);
    // The batch dimension is symbolic: a single image runs through the same model.
    float[] single = runEncoder(model, slice(images, 0, spec), 1, spec);
    assertThat(maxAbsDiff(java.util.Arrays.copyOf(expected, spec.embeddingDim()), single))
        .isLessThanOrEqualTo(TOLERANCE);
    return operators;
  }

  private static void randomizeBatchNorms(Block block, Random random) {
    for (var child : block.getChildren()) {
      if (child.getValue() instanceof ai.djl.nn.norm.BatchNorm norm) {
        NDArray gamma = norm.getParameters().get("gamma").getArray();
        float[] g = randomFloats(random, (int) gamma.size());
        for (int i = 0; i < g.length; i++) {
          g[i] = 0.5f + Math.abs(g[i]);
        }
        gamma.set(g);
        NDArray beta = norm.getParameters().get("beta").getArray();
        beta.set(randomFloats(random, (int) beta.size()));
      } else {
        randomizeBatchNorms(child.getValue(), random);
      }
    }
  }

  @Test
  void shouldExportAHeadThatMatchesDjlBeforeAndAfterPlattScaling() throws OrtException {
    EncoderSpec spec = new EncoderSpec(1, 28, 28, List.of(4), 8, 6, false);
    SiameseNetwork network = SiameseNetwork.create(spec).initialize(manager);
    network.head().getParameters().get("bias").getArray().set(new float[] {0.37f});
    ParameterStore parameters = new ParameterStore(manager, false);
    Random random = new Random(5);
    int n = 7;
    float[] left = randomFloats(random, n * 6);
    float[] right = randomFloats(random, n * 6);
    float[] expected;
    try (NDManager step = manager.newSubManager()) {
      NDArray a = step.create(left, new Shape(n, 6));
      NDArray b = step.create(right, new Shape(n, 6));
      expected = network.probability(parameters, a, b).toFloatArray();
    }
    HeadWeights head = OnnxExporter.headWeights(network);
    assertThat(head.bias()).isEqualTo(0.37f);
    float[] actual = runHead(OnnxExporter.headGraph(head, Map.of()).toBytes(), left, right, n, 6);
    assertThat(maxAbsDiff(expected, actual)).isLessThanOrEqualTo(TOLERANCE);

    PlattScaling platt = new PlattScaling(1.7, -0.4);
    float[] calibrated = runHead(OnnxExporter.headGraph(head.calibrated(platt), Map.of()).toBytes(), left, right, n, 6);
    for (int i = 0; i < n; i++) {
      double logit = Math.log(expected[i] / (1 - expected[i]));
      double p = 1 / (1 + Math.exp(-(platt.scale() * logit + platt.shift())));
      assertThat((double) calibrated[i]).isCloseTo(p, org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  @Test
  void shouldExportADistanceHeadThatIsALogisticFunctionOfTheSquaredDistance() throws OrtException {
    DistanceHead head = new DistanceHead(6, -9.5, 5.25);
    Random random = new Random(11);
    int n = 9;
    float[] left = randomFloats(random, n * 6);
    float[] right = randomFloats(random, n * 6);
    for (int k = 0; k < 6; k++) {
      right[k] = left[k]; // pair 0 is identical: d = 0, p = σ(5.25)
    }
    float[] actual = runHead(OnnxExporter.distanceHeadGraph(head, Map.of()).toBytes(), left, right, n, 6);
    for (int i = 0; i < n; i++) {
      double d = 0;
      for (int k = 0; k < 6; k++) {
        double diff = left[i * 6 + k] - right[i * 6 + k];
        d += diff * diff;
      }
      assertThat((double) actual[i]).isCloseTo(head.probability(d), org.assertj.core.data.Offset.offset(TOLERANCE));
    }
    assertThat((double) actual[0]).isCloseTo(1 / (1 + Math.exp(-5.25)), org.assertj.core.data.Offset.offset(1e-6));
  }

  private static float[] runEncoder(byte[] model, FloatBuffer images, int batch, EncoderSpec spec) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options)) {
      assertThat(session.getInputNames()).containsExactly(OnnxExporter.IMAGE_INPUT);
      assertThat(session.getOutputNames()).containsExactly(OnnxExporter.EMBEDDING_OUTPUT);
      images.rewind();
      try (OnnxTensor input =
              OnnxTensor.createTensor(env, images, new long[] {batch, spec.channels(), spec.height(), spec.width()});
          OrtSession.Result result = session.run(Map.of(OnnxExporter.IMAGE_INPUT, input))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        assertThat(out.getInfo().getShape()).containsExactly(batch, spec.embeddingDim());
        FloatBuffer values = out.getFloatBuffer();
        float[] array = new float[values.remaining()];
        values.get(array);
        return array;
      }
    }
  }

  private static float[] runHead(byte[] model, float[] left, float[] right, int n, int d) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options);
        OnnxTensor a = OnnxTensor.createTensor(env, direct(left), new long[] {n, d});
        OnnxTensor b = OnnxTensor.createTensor(env, direct(right), new long[] {n, d});
        OrtSession.Result result =
            session.run(Map.of(OnnxExporter.LEFT_INPUT, a, OnnxExporter.RIGHT_INPUT, b))) {
      OnnxTensor out = (OnnxTensor) result.get(OnnxExporter.PROBABILITY_OUTPUT).orElseThrow();
      assertThat(out.getInfo().getShape()).containsExactly(n, 1);
      FloatBuffer values = out.getFloatBuffer();
      float[] array = new float[values.remaining()];
      values.get(array);
      return array;
    }
  }

  private static FloatBuffer randomImages(Random random, int count, EncoderSpec spec) {
    int n = count * spec.channels() * spec.height() * spec.width();
    return direct(randomFloats(random, n));
  }

  private static float[] randomFloats(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static FloatBuffer direct(float[] values) {
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(values).rewind();
    return buffer;
  }

  private static FloatBuffer slice(FloatBuffer images, int index, EncoderSpec spec) {
    int size = spec.channels() * spec.height() * spec.width();
    float[] one = new float[size];
    images.get(index * size, one);
    return direct(one);
  }

  private static double maxAbsDiff(float[] expected, float[] actual) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    return max;
  }
}
