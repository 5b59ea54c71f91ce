package io.siamesestreams.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.siamesestreams.testing.TinyBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelBundleTest {

  @TempDir Path tmp;

  private Path bundle() {
    return TinyBundle.write(tmp.resolve("models").resolve("tiny"));
  }

  private String manifestFile(Path dir) {
    return dir.resolve("model.json").toString();
  }

  @Test
  void shouldLoadAValidBundleWithHead() {
    Path dir = bundle();

    ModelBundle bundle = ModelBundle.load(dir);

    assertThat(bundle.directory()).isEqualTo(dir);
    assertThat(bundle.encoderFile()).isEqualTo(dir.resolve("encoder.onnx"));
    assertThat(bundle.headFile()).contains(dir.resolve("head.onnx"));
    ModelManifest m = bundle.manifest();
    assertThat(m.modelId()).isEqualTo("tiny-test");
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(m.input().mean()).containsExactly(0.5f);
    assertThat(m.input().std()).containsExactly(0.25f);
    assertThat(m.output().dimension()).isEqualTo(TinyBundle.DIM);
    assertThat(m.distance().metric()).isEqualTo(ModelManifest.Metric.SQUARED_L2);
    assertThat(m.decision().threshold()).isEqualTo(TinyBundle.THRESHOLD);
    assertThat(m.head().leftInput()).isEqualTo(TinyBundle.LEFT);
    assertThat(m.provenance().details()).containsEntry("batch", 8);
    assertThat(m.evaluation()).containsEntry("auc", 0.5);
  }

  @Test
  void shouldLoadABundleWithoutHeadWhenTheHeadIsAbsentOrNotPresent() throws Exception {
    Path dir = bundle();
    Files.delete(dir.resolve("head.onnx"));
    TinyBundle.editManifest(dir, m -> m.remove("head"));
    assertThat(ModelBundle.load(dir).headFile()).isEmpty();

    ModelBundle.writeManifest(dir, TinyBundle.manifest(false));
    assertThat(ModelBundle.load(dir).headFile()).isEmpty();
  }

  @Test
  void shouldWriteAPrettyManifestWithIsoInstantsThatLoadsBack() throws Exception {
    Path dir = bundle();

    String json = Files.readString(dir.resolve("model.json"));

    assertThat(json).contains("\n  \"formatVersion\" : 1");
    assertThat(json).contains("\"createdAt\" : \"2026-01-02T03:04:05Z\"");
    assertThat(ModelBundle.load(dir).manifest().modelVersion()).isEqualTo("v1");
  }

  @Test
  void shouldReadADecisionWithoutCalibrationAsBeforeAndWriteNoCalibrationKey() throws Exception {
    Path dir = bundle();

    assertThat(ModelBundle.load(dir).manifest().decision().calibration()).isNull();
    assertThat(Files.readString(dir.resolve("model.json"))).doesNotContain("calibration\"");
  }

  @Test
  void shouldRoundTripACalibratedDecisionWithItsProvenance() {
    Path dir = bundle();
    ModelManifest base = TinyBundle.manifest(true);
    ModelManifest.Calibration calibration = new ModelManifest.Calibration("/data/people", 20, 180, 3, 720, 15_390,
        0.00097, 0.0139, 0.6, Instant.parse("2026-12-05T19:00:00Z"));
    ModelBundle.writeManifest(dir, new ModelManifest(base.formatVersion(), base.modelId(), base.modelVersion(),
        base.createdAt(), base.input(), base.output(), base.distance(),
        new ModelManifest.Decision(0.51, 0.001, "calibrate: 20 people", calibration), base.head(), base.provenance(),
        base.evaluation()));

    ModelManifest.Decision decision = ModelBundle.load(dir).manifest().decision();

    assertThat(decision.threshold()).isEqualTo(0.51);
    assertThat(decision.targetFalseAcceptRate()).isEqualTo(0.001);
    assertThat(decision.calibration()).isEqualTo(calibration);
  }

  @Test
  void shouldRejectAMissingDirectory() {
    Path dir = tmp.resolve("nowhere");
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(BundleValidationException.class)
        .hasMessage(dir + ": bundle directory does not exist (or is not a directory)");
  }

  @Test
  void shouldRejectAMissingManifest() throws Exception {
    Path dir = bundle();
    Files.delete(dir.resolve("model.json"));
    assertRejected(dir, manifestFile(dir), null).hasMessageContaining("does not exist");
  }

  @Test
  void shouldRejectAManifestThatIsNotJson() throws Exception {
    Path dir = bundle();
    Files.writeString(dir.resolve("model.json"), "{ this is not json");
    assertRejected(dir, manifestFile(dir), null).hasMessageContaining("not valid JSON");
  }

  @Test
  void shouldRejectABareNanThresholdNamingTheField() throws Exception {
    Path dir = bundle();
    replaceInManifest(dir, "\"threshold\" : 0.8", "\"threshold\" : NaN");
    assertRejected(dir, manifestFile(dir), "decision.threshold")
        .hasMessageContaining("not valid JSON at line")
        .hasMessageContaining("NaN")
        .message().doesNotContain("enable");
  }

  @Test
  void shouldRejectAnOverflowingThresholdAsNotFinite() throws Exception {
    Path dir = bundle();
    replaceInManifest(dir, "\"threshold\" : 0.8", "\"threshold\" : 1e999");
    assertRejected(dir, manifestFile(dir), "decision.threshold").hasMessageContaining("must be finite");
  }

  @Test
  void shouldRejectAnInputChannelCountOfFourWithTheDocumentedMessage() {
    Path dir = bundle();
    TinyBundle.editManifest(dir, m -> ((ObjectNode) m.get("input")).put("channels", 4));
    assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOf(BundleValidationException.class)
        .hasMessage(manifestFile(dir) + ": input.channels: must be 1 or 3, was 4");
  }

  @Test
  void shouldRejectAnUnknownMetricListingTheAllowedValues() {
    Path dir = bundle();
    TinyBundle.editManifest(dir, m -> ((ObjectNode) m.get("distance")).put("metric", "COSINE"));
    assertRejected(dir, manifestFile(dir), "distance.metric")
        .hasMessageContaining("COSINE")
        .hasMessageContaining("SQUARED_L2")
        .hasMessageContaining("L2]")
        .message().doesNotContain("com.fasterxml");
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        broken("an unknown top-level field", m -> m.put("colour", "red"), "colour", "unknown field"),
        broken("an unknown nested field", m -> input(m).put("heigth", 8), "input.heigth", "unknown field"),
        broken("a missing modelId", m -> m.remove("modelId"), "modelId", "is required"),
        broken("a missing input", m -> m.remove("input"), "input", "is required"),
        broken("a missing decision.threshold", m -> decision(m).remove("threshold"), "decision.threshold", "is required"),
        broken("a missing output.dimension", m -> output(m).remove("dimension"), "output.dimension", "is required"),
        broken("a missing createdAt", m -> m.remove("createdAt"), "createdAt", "is required"),
        broken("a null input.mean", m -> input(m).putNull("mean"), "input.mean", "is required"),
        broken("format version 2", m -> m.put("formatVersion", 2), "formatVersion", "expected 1, was 2"),
        broken("a blank modelId", m -> m.put("modelId", " "), "modelId", "must not be blank"),
        broken("a blank modelVersion", m -> m.put("modelVersion", ""), "modelVersion", "must not be blank"),
        broken("a blank input.tensorName", m -> input(m).put("tensorName", ""), "input.tensorName", "must not be blank"),
        broken("layout NHWC", m -> input(m).put("layout", "NHWC"), "input.layout", "allowed: [NCHW]"),
        broken("three channels for GRAY", m -> input(m).put("channels", 3), "input.colorMode", "GRAY needs 1 channel"),
        broken("one channel for RGB", m -> input(m).put("colorMode", "RGB"), "input.colorMode", "RGB needs 3 channel"),
        broken("an unknown colour mode", m -> input(m).put("colorMode", "CMYK"), "input.colorMode", "allowed: [GRAY, RGB]"),
        broken("an unknown resize policy", m -> input(m).put("resize", "CROP"), "input.resize", "allowed: [EXACT, STRETCH]"),
        broken("height 0", m -> input(m).put("height", 0), "input.height", "must be in 1..4096, was 0"),
        broken("width 5000", m -> input(m).put("width", 5000), "input.width", "must be in 1..4096, was 5000"),
        broken("two means for one channel", m -> input(m).putArray("mean").add(0.5).add(0.5), "input.mean", "must have 1 value"),
        broken("no std for one channel", m -> input(m).putArray("std"), "input.std", "must have 1 value"),
        broken("std 0", m -> input(m).putArray("std").add(0.0), "input.std[0]", "must be > 0, was 0.0"),
        broken("a negative std", m -> input(m).putArray("std").add(-0.2), "input.std[0]", "must be > 0"),
        broken("a std given as the string NaN", m -> input(m).putArray("std").add("NaN"), "input.std[0]", "must be finite, was NaN"),
        broken("output.dimension 0", m -> output(m).put("dimension", 0), "output.dimension", "must be > 0, was 0"),
        broken("a blank output.tensorName", m -> output(m).put("tensorName", " "), "output.tensorName", "must not be blank"),
        broken("a missing metric", m -> ((ObjectNode) m.get("distance")).remove("metric"), "distance.metric", "is required"),
        broken("threshold 0", m -> decision(m).put("threshold", 0.0), "decision.threshold", "must be finite and > 0"),
        broken("a negative threshold", m -> decision(m).put("threshold", -1.0), "decision.threshold", "must be finite and > 0"),
        broken("the threshold string NaN", m -> decision(m).put("threshold", "NaN"), "decision.threshold",
            "must be finite and > 0, was NaN"),
        broken("the threshold string Infinity", m -> decision(m).put("threshold", "Infinity"), "decision.threshold",
            "must be finite and > 0, was Infinity"),
        broken("the threshold as a numeric string", m -> decision(m).put("threshold", "0.8"), "decision.threshold",
            "Cannot coerce"),
        broken("target FAR 0", m -> decision(m).put("targetFalseAcceptRate", 0.0), "decision.targetFalseAcceptRate", "must be in (0, 1)"),
        broken("target FAR 1", m -> decision(m).put("targetFalseAcceptRate", 1.0), "decision.targetFalseAcceptRate", "must be in (0, 1)"),
        broken("a calibration without impostor pairs", m -> calibration(m).put("impostorPairs", 0),
            "decision.calibration.impostorPairs", "must be > 0, was 0"),
        broken("a calibration without its date", m -> calibration(m).remove("calibratedAt"),
            "decision.calibration.calibratedAt", "is required"),
        broken("a calibration with an unknown field", m -> calibration(m).put("pairs", 3),
            "decision.calibration.pairs", "unknown field"),
        broken("a missing head.leftInput", m -> head(m).remove("leftInput"), "head.leftInput", "is required"),
        broken("equal head inputs", m -> head(m).put("rightInput", TinyBundle.LEFT), "head.rightInput", "must differ"));
  }

  @ParameterizedTest(name = "should reject {0}")
  @MethodSource("brokenManifests")
  void shouldRejectABrokenManifestNamingFileAndField(String what, Consumer<ObjectNode> edit, String field, String problem) {
    Path dir = bundle();
    TinyBundle.editManifest(dir, edit);
    assertRejected(dir, manifestFile(dir), field).hasMessageContaining(problem);
  }

  @Test
  void shouldRejectAMissingEncoder() throws Exception {
    Path dir = bundle();
    Files.delete(dir.resolve("encoder.onnx"));
    assertRejected(dir, dir.resolve("encoder.onnx").toString(), null).hasMessageContaining("does not exist");
  }

  @Test
  void shouldRejectAnEncoderThatIsNotAnOnnxModel() throws Exception {
    Path dir = bundle();
    Files.writeString(dir.resolve("encoder.onnx"), "definitely not protobuf");
    assertRejected(dir, dir.resolve("encoder.onnx").toString(), null).hasMessageContaining("not a loadable ONNX model");
  }

  static Stream<Arguments> brokenEncoders() {
    int s = TinyBundle.SIDE;
    return Stream.of(
        Arguments.of("another input name", "pixels", "N", s, TinyBundle.OUTPUT, TinyBundle.DIM, "input.tensorName", "[pixels]"),
        Arguments.of("another input height", TinyBundle.INPUT, "N", s + 1, TinyBundle.OUTPUT, TinyBundle.DIM,
            "input shape", "must have shape [N, 1, 8, 8], has [N, 1, 9, 8]"),
        Arguments.of("a fixed batch size", TinyBundle.INPUT, 1, s, TinyBundle.OUTPUT, TinyBundle.DIM,
            "input shape", "has [1, 1, 8, 8]"),
        Arguments.of("another output name", TinyBundle.INPUT, "N", s, "features", TinyBundle.DIM, "output.tensorName", "[features]"),
        Arguments.of("another output dimension", TinyBundle.INPUT, "N", s, TinyBundle.OUTPUT, TinyBundle.DIM + 1,
            "output.dimension", "must have shape [N, 4], has [N, 5]"));
  }

  @ParameterizedTest(name = "should reject an encoder with {0}")
  @MethodSource("brokenEncoders")
  void shouldRejectAnEncoderThatDisagreesWithTheManifest(
      String what, String input, Object batch, int height, String output, int dim, String field, String problem) {
    Path dir = bundle();
    Path encoder = dir.resolve("encoder.onnx");
    TinyBundle.writeEncoder(encoder, input, batch, 1, height, TinyBundle.SIDE, output, dim);
    assertRejected(dir, encoder.toString(), field).hasMessageContaining(problem);
  }

  @Test
  void shouldRejectAPresentHeadWithoutHeadFile() throws Exception {
    Path dir = bundle();
    Files.delete(dir.resolve("head.onnx"));
    assertRejected(dir, dir.resolve("head.onnx").toString(), null).hasMessageContaining("does not exist");
  }

  static Stream<Arguments> brokenHeads() {
    String l = TinyBundle.LEFT;
    String r = TinyBundle.RIGHT;
    String p = TinyBundle.PROBABILITY;
    int d = TinyBundle.DIM;
    return Stream.of(
        Arguments.of("another left input name", "a", r, p, d, 1, "head.leftInput", "manifest says \"left\""),
        Arguments.of("another right input name", l, "b", p, d, 1, "head.rightInput", "manifest says \"right\""),
        Arguments.of("another output name", l, r, "same", d, 1, "head.output", "[same]"),
        Arguments.of("inputs of another dimension", l, r, p, d + 1, 1, "head.leftInput shape", "must have shape [N, 4], has [N, 5]"),
        Arguments.of("two outputs per pair", l, r, p, d, 2, "head.output shape", "must have shape [N, 1], has [N, 2]"));
  }

  @ParameterizedTest(name = "should reject a head with {0}")
  @MethodSource("brokenHeads")
  void shouldRejectAHeadThatDisagreesWithTheManifest(
      String what, String left, String right, String output, int dim, int outputs, String field, String problem) {
    Path dir = bundle();
    Path head = dir.resolve("head.onnx");
    TinyBundle.writeHead(head, left, right, output, dim, outputs);
    assertRejected(dir, head.toString(), field).hasMessageContaining(problem);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Path dir, String file, String field) {
    return assertThatThrownBy(() -> ModelBundle.load(dir))
        .isInstanceOfSatisfying(BundleValidationException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageStartingWith(file + ": " + (field == null ? "" : field + ": "));
  }

  private static void replaceInManifest(Path dir, String from, String to) throws Exception {
    Path file = dir.resolve("model.json");
    String json = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(json).contains(from);
    Files.writeString(file, json.replace(from, to), StandardCharsets.UTF_8);
  }

  private static Arguments broken(String what, Consumer<ObjectNode> edit, String field, String problem) {
    return Arguments.of(what, edit, field, problem);
  }

  private static ObjectNode input(ObjectNode m) {
    return (ObjectNode) m.get("input");
  }

  private static ObjectNode output(ObjectNode m) {
    return (ObjectNode) m.get("output");
  }

  private static ObjectNode decision(ObjectNode m) {
    return (ObjectNode) m.get("decision");
  }

  /** The decision's calibration, added with valid values when absent. */
  private static ObjectNode calibration(ObjectNode m) {
    ObjectNode calibration = decision(m).withObjectProperty("calibration");
    if (calibration.isEmpty()) {
      calibration.put("data", "people").put("people", 3).put("photos", 9).put("photosSkipped", 0)
          .put("genuinePairs", 9).put("impostorPairs", 27).put("falseAcceptRate", 0.0).put("falseRejectRate", 0.0)
          .put("previousThreshold", 0.6).put("calibratedAt", "2026-12-05T19:00:00Z");
    }
    return calibration;
  }

  private static ObjectNode head(ObjectNode m) {
    return (ObjectNode) m.get("head");
  }
}
