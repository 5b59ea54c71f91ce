package io.siamesestreams.bundle;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A validated model bundle directory: {@code model.json}, {@code encoder.onnx} and optionally
 * {@code head.onnx}. This is the one place a bundle is loaded and checked.
 *
 * <p>{@link #load(Path)} checks the manifest (required fields, value ranges, finite threshold,
 * mean/std lengths, known enums), that the ONNX files exist and parse, and that the tensor
 * names and shapes in the ONNX models agree with the manifest (input [N, C, H, W], output [N, D],
 * head inputs [N, D] and output [N, 1]). Every failure is a {@link BundleValidationException}
 * naming the file and the field.
 *
 * <p>Required in {@code model.json}: {@code formatVersion}, {@code modelId}, {@code modelVersion},
 * {@code createdAt}, all of {@code input} and {@code output}, {@code distance.metric},
 * {@code decision.threshold} and {@code decision.targetFalseAcceptRate}. Optional: {@code head}
 * (absent means no head), {@code provenance}, {@code evaluation}, {@code decision.calibration}
 * (written by {@code siamese calibrate}) and the free-text {@code formula}/{@code calibratedOn} fields. The batch dimension N of every ONNX tensor must be
 * symbolic. To check the models, {@code load} opens short-lived ONNX Runtime sessions (one intra-op
 * thread) and reads their input/output metadata; it does not run them.
 */
public final class ModelBundle {

  /** Largest accepted {@code input.height} and {@code input.width}. */
  public static final int MAX_SIDE = 4096;

  private static final List<String> REQUIRED_FIELDS = List.of(
      "formatVersion", "modelId", "modelVersion", "createdAt",
      "input", "input.tensorName", "input.layout", "input.channels", "input.height", "input.width",
      "input.colorMode", "input.resize", "input.mean", "input.std",
      "output", "output.tensorName", "output.dimension", "output.l2Normalized",
      "distance", "distance.metric",
      "decision", "decision.threshold", "decision.targetFalseAcceptRate");

  private static final List<String> REQUIRED_HEAD_FIELDS = List.of(
      "head.present", "head.leftInput", "head.rightInput", "head.output");

  private final Path directory;
  private final ModelManifest manifest;

  private ModelBundle(Path directory, ModelManifest manifest) {
    this.directory = directory;
    this.manifest = manifest;
  }

  /**
   * Loads and validates the bundle in {@code directory}.
   *
   * @throws BundleValidationException when anything is missing or inconsistent
   */
  public static ModelBundle load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new BundleValidationException(directory.toString(), null, "bundle directory does not exist (or is not a directory)");
    }
    ModelManifest manifest = readManifest(directory.resolve(ModelManifest.FILE_NAME));
    ModelBundle bundle = new ModelBundle(directory, manifest);
    checkEncoderModel(bundle.encoderFile(), manifest);
    if (bundle.headFile().isPresent()) {
      checkHeadModel(bundle.headFile().get(), manifest);
    }
    return bundle;
  }

  /**
   * Reads and validates one {@code model.json} without looking at the ONNX files.
   *
   * @throws BundleValidationException when the file is missing, not JSON, or any field is invalid
   */
  public static ModelManifest readManifest(Path manifestFile) {
    String file = manifestFile.toString();
    if (!Files.isRegularFile(manifestFile)) {
      throw new BundleValidationException(file, null, "manifest file does not exist");
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(Files.readAllBytes(manifestFile));
    } catch (JsonProcessingException e) {
      throw new BundleValidationException(file, parserPath(e), "not valid JSON" + location(e) + ": " + syntaxProblem(e), e);
    } catch (IOException e) {
      throw new BundleValidationException(file, null, "cannot read: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new BundleValidationException(file, null, "must hold a JSON object");
    }
    checkPresent(file, tree, REQUIRED_FIELDS);
    JsonNode head = tree.get("head");
    if (head != null && !head.isNull()) {
      checkPresent(file, tree, REQUIRED_HEAD_FIELDS.subList(0, 1));
      if (head.path("present").asBoolean(false)) {
        checkPresent(file, tree, REQUIRED_HEAD_FIELDS);
      }
    }
    ModelManifest manifest;
    try {
      manifest = Json.mapper().treeToValue(tree, ModelManifest.class);
    } catch (JsonProcessingException e) {
      throw mappingFailure(file, e);
    }
    validateManifest(file, manifest);
    return manifest;
  }

  /**
   * Checks every value of {@code manifest} (not the ONNX files).
   *
   * @param file how to name the manifest in error messages
   * @throws BundleValidationException naming {@code file} and the first invalid field
   */
  public static void validateManifest(String file, ModelManifest manifest) {
    require(file, "formatVersion", manifest.formatVersion() == ModelManifest.FORMAT_VERSION,
        "unsupported format version, expected " + ModelManifest.FORMAT_VERSION + ", was " + manifest.formatVersion());
    requireText(file, "modelId", manifest.modelId());
    requireText(file, "modelVersion", manifest.modelVersion());
    require(file, "createdAt", manifest.createdAt() != null, "is required");

    ModelManifest.Input input = manifest.input();
    require(file, "input", input != null, "is required");
    requireText(file, "input.tensorName", input.tensorName());
    require(file, "input.layout", input.layout() == ModelManifest.Layout.NCHW,
        "must be NCHW, was " + input.layout());
    require(file, "input.channels", input.channels() == 1 || input.channels() == 3,
        "must be 1 or 3, was " + input.channels());
    require(file, "input.colorMode", input.colorMode() != null, "is required");
    int expectedChannels = input.colorMode() == ModelManifest.ColorMode.GRAY ? 1 : 3;
    require(file, "input.colorMode", input.channels() == expectedChannels,
        input.colorMode() + " needs " + expectedChannels + " channel(s) but input.channels is " + input.channels());
    require(file, "input.height", input.height() >= 1 && input.height() <= MAX_SIDE,
        "must be in 1.." + MAX_SIDE + ", was " + input.height());
    require(file, "input.width", input.width() >= 1 && input.width() <= MAX_SIDE,
        "must be in 1.." + MAX_SIDE + ", was " + input.width());
    require(file, "input.resize", input.resize() != null, "is required");
    checkPerChannel(file, "input.mean", input.mean(), input.channels(), false);
    checkPerChannel(file, "input.std", input.std(), input.channels(), true);

    ModelManifest.Output output = manifest.output();
    require(file, "output", output != null, "is required");
    requireText(file, "output.tensorName", output.tensorName());
    require(file, "output.dimension", output.dimension() > 0, "must be > 0, was " + output.dimension());

    require(file, "distance", manifest.distance() != null, "is required");
    require(file, "distance.metric", manifest.distance().metric() != null,
        "is required, one of " + Arrays.toString(ModelManifest.Metric.values()));

    ModelManifest.Decision decision = manifest.decision();
    require(file, "decision", decision != null, "is required");
    require(file, "decision.threshold", Double.isFinite(decision.threshold()) && decision.threshold() > 0,
        "must be finite and > 0, was " + decision.threshold());
    double far = decision.targetFalseAcceptRate();
    require(file, "decision.targetFalseAcceptRate", far > 0 && far < 1,
        "must be in (0, 1), was " + far);
    ModelManifest.Calibration calibration = decision.calibration();
    if (calibration != null) {
      requireText(file, "decision.calibration.data", calibration.data());
      require(file, "decision.calibration.genuinePairs", calibration.genuinePairs() > 0,
          "must be > 0, was " + calibration.genuinePairs());
      require(file, "decision.calibration.impostorPairs", calibration.impostorPairs() > 0,
          "must be > 0, was " + calibration.impostorPairs());
      require(file, "decision.calibration.calibratedAt", calibration.calibratedAt() != null, "is required");
    }

    ModelManifest.Head head = manifest.head();
    if (head != null && head.present()) {
      requireText(file, "head.leftInput", head.leftInput());
      requireText(file, "head.rightInput", head.rightInput());
      requireText(file, "head.output", head.output());
      require(file, "head.rightInput", !head.leftInput().equals(head.rightInput()),
          "must differ from head.leftInput, both are \"" + head.leftInput() + "\"");
    }
  }

  /** Writes {@code manifest} as pretty-printed {@code model.json} into {@code directory}. */
  public static void writeManifest(Path directory, ModelManifest manifest) {
    Path file = directory.resolve(ModelManifest.FILE_NAME);
    try {
      Files.createDirectories(directory);
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The bundle directory. */
  public Path directory() {
    return directory;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** {@code encoder.onnx}. */
  public Path encoderFile() {
    return directory.resolve(ModelManifest.ENCODER_FILE);
  }

  /** {@code head.onnx}, present when the manifest declares a head. */
  public Optional<Path> headFile() {
    ModelManifest.Head head = manifest.head();
    return head != null && head.present()
        ? Optional.of(directory.resolve(ModelManifest.HEAD_FILE))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return "ModelBundle[" + directory + ", " + manifest.modelId() + " " + manifest.modelVersion() + "]";
  }

  private static void checkEncoderModel(Path encoderFile, ModelManifest manifest) {
    String file = encoderFile.toString();
    ModelManifest.Input input = manifest.input();
    ModelManifest.Output output = manifest.output();
    withSession(encoderFile, session -> {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      require(file, "input.tensorName", inputs.size() == 1 && inputs.containsKey(input.tensorName()),
          "model inputs are " + inputs.keySet() + ", manifest says \"" + input.tensorName() + "\"");
      checkShape(file, "input shape", inputs.get(input.tensorName()),
          new long[] {input.channels(), input.height(), input.width()});
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      require(file, "output.tensorName", outputs.containsKey(output.tensorName()),
          "model outputs are " + outputs.keySet() + ", manifest says \"" + output.tensorName() + "\"");
      checkShape(file, "output.dimension", outputs.get(output.tensorName()), new long[] {output.dimension()});
    });
  }

  private static void checkHeadModel(Path headFile, ModelManifest manifest) {
    String file = headFile.toString();
    ModelManifest.Head head = manifest.head();
    long dimension = manifest.output().dimension();
    withSession(headFile, session -> {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      require(file, "head.leftInput", inputs.containsKey(head.leftInput()),
          "model inputs are " + inputs.keySet() + ", manifest says \"" + head.leftInput() + "\"");
      require(file, "head.rightInput", inputs.containsKey(head.rightInput()),
          "model inputs are " + inputs.keySet() + ", manifest says \"" + head.rightInput() + "\"");
      require(file, "head inputs", inputs.size() == 2, "must be exactly two, were " + inputs.keySet());
      checkShape(file, "head.leftInput shape", inputs.get(head.leftInput()), new long[] {dimension});
      checkShape(file, "head.rightInput shape", inputs.get(head.rightInput()), new long[] {dimension});
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      require(file, "head.output", outputs.containsKey(head.output()),
          "model outputs are " + outputs.keySet() + ", manifest says \"" + head.output() + "\"");
      checkShape(file, "head.output shape", outputs.get(head.output()), new long[] {1});
    });
  }

  /** Checks a float tensor of shape [N, expected...] with N symbolic. */
  private static void checkShape(String file, String field, NodeInfo node, long[] expected) {
    ValueInfo info = node.getInfo();
    require(file, field, info instanceof TensorInfo, "must be a tensor, was " + info);
    TensorInfo tensor = (TensorInfo) info;
    require(file, field, tensor.type == OnnxJavaType.FLOAT,
        "tensor " + node.getName() + " must hold float32, holds " + tensor.type);
    long[] shape = tensor.getShape();
    long[] wanted = new long[expected.length + 1];
    wanted[0] = -1;
    System.arraycopy(expected, 0, wanted, 1, expected.length);
    require(file, field, Arrays.equals(shape, wanted),
        "tensor " + node.getName() + " must have shape " + describe(wanted) + ", has " + describe(shape));
  }

  private static String describe(long[] shape) {
    return Arrays.stream(shape).mapToObj(d -> d < 0 ? "N" : Long.toString(d))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private interface SessionCheck {
    void check(OrtSession session) throws OrtException;
  }

  private static void withSession(Path model, SessionCheck check) {
    String file = model.toString();
    if (!Files.isRegularFile(model)) {
      throw new BundleValidationException(file, null, "model file does not exist");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      OrtSession session;
      try {
        session = env.createSession(file, options);
      } catch (OrtException e) {
        throw new BundleValidationException(file, null, "not a loadable ONNX model: " + e.getMessage(), e);
      }
      try (session) {
        check.check(session);
      }
    } catch (OrtException e) {
      throw new BundleValidationException(file, null, "cannot inspect ONNX model: " + e.getMessage(), e);
    }
  }

  private static void checkPresent(String file, JsonNode root, List<String> paths) {
    for (String path : paths) {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node == null ? null : node.get(part);
      }
      require(file, path, node != null && !node.isNull(), "is required");
    }
  }

  private static void checkPerChannel(String file, String field, float[] values, int channels, boolean positive) {
    require(file, field, values != null, "is required");
    require(file, field, values.length == channels,
        "must have " + channels + " value(s) (input.channels), has " + values.length);
    for (int c = 0; c < values.length; c++) {
      require(file, field + "[" + c + "]", Float.isFinite(values[c]), "must be finite, was " + values[c]);
      if (positive) {
        require(file, field + "[" + c + "]", values[c] > 0, "must be > 0, was " + values[c]);
      }
    }
  }

  private static void requireText(String file, String field, String value) {
    require(file, field, value != null && !value.isBlank(), "must not be blank");
  }

  private static void require(String file, String field, boolean ok, String problem) {
    if (!ok) {
      throw new BundleValidationException(file, field, problem);
    }
  }

  /** Turns Jackson's binding errors into a message naming the field. */
  private static BundleValidationException mappingFailure(String file, JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return new BundleValidationException(file, null, e.getOriginalMessage(), e);
    }
    String field = fieldPath(mapping.getPath());
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
          : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return new BundleValidationException(file, field, "unknown field; known fields here: " + known, e);
    }
    if (e instanceof InvalidFormatException invalid) {
      Class<?> target = invalid.getTargetType();
      if (target != null && target.isEnum()) {
        return new BundleValidationException(file, field, "unknown value \"" + invalid.getValue()
            + "\", allowed: " + Arrays.toString(target.getEnumConstants()), e);
      }
      return new BundleValidationException(file, field, "invalid value \"" + invalid.getValue()
          + "\" for " + (target == null ? "this field" : target.getSimpleName()), e);
    }
    return new BundleValidationException(file, field, mapping.getOriginalMessage(), e);
  }

  private static String fieldPath(List<JsonMappingException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      if (reference.getFieldName() != null) {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? null : field.toString();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** Jackson's message without its advice to enable parser features (model.json must be strict JSON). */
  private static String syntaxProblem(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int advice = message.indexOf(": enable `");
    return advice < 0 ? message : message.substring(0, advice);
  }

  /** The JSON path where the parser stopped, e.g. {@code decision.threshold}, or null. */
  private static String parserPath(JsonProcessingException e) {
    if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
      String pointer = parser.getParsingContext().pathAsPointer().toString();
      if (!pointer.isEmpty()) {
        return pointer.substring(1).replace('/', '.');
      }
    }
    return null;
  }
}
