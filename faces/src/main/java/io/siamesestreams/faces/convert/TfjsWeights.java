package io.siamesestreams.faces.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The weights of one TensorFlow.js model: its {@code *-weights_manifest.json} and binary shards,
 * dequantised to float32.
 *
 * <p>The manifest is a list of groups; each group names its shard files ({@code paths}, read in
 * order and concatenated) and the tensors packed one after another in them ({@code weights}: name,
 * shape, dtype, optional quantization). A float32 tensor without quantization takes 4 bytes per
 * value, little-endian. A quantised tensor ({@code quantization.dtype} {@code uint8} or
 * {@code uint16}) stores integers q and is restored as {@code q · scale + min}, computed in double
 * and rounded once to float, as TensorFlow.js does.
 */
public final class TfjsWeights {

  /** One named tensor in TensorFlow.js order (e.g. filters are [kh, kw, in, out]). */
  public record Tensor(String name, int[] shape, float[] values) {
    public Tensor {
      long count = 1;
      for (int d : shape) {
        count *= d;
      }
      if (count != values.length) {
        throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + count
            + " values, has " + values.length);
      }
    }

    public int dim(int i) {
      return shape[i];
    }

    public int rank() {
      return shape.length;
    }
  }

  private final String model;
  private final Map<String, Tensor> tensors;

  private TfjsWeights(String model, Map<String, Tensor> tensors) {
    this.model = model;
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /**
   * Reads {@code model/<name>-weights_manifest.json} and its shards from the package.
   *
   * @param modelName e.g. {@code face_recognition_model}
   */
  public static TfjsWeights read(NpmPackage npm, String modelName) {
    String folder = "model/";
    String manifestPath = folder + modelName + "-weights_manifest.json";
    JsonNode manifest;
    try {
      manifest = Json.mapper().readTree(npm.bytes(manifestPath));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + manifestPath + ": " + e.getMessage(), e);
    }
    if (manifest == null || !manifest.isArray()) {
      throw new IllegalArgumentException(manifestPath + " must hold a JSON array of weight groups");
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (JsonNode group : manifest) {
      ByteBuffer shards = concatenate(npm, folder, group.path("paths"), manifestPath);
      for (JsonNode weight : group.path("weights")) {
        Tensor tensor = readTensor(weight, shards, manifestPath);
        tensors.put(tensor.name(), tensor);
      }
      if (shards.hasRemaining()) {
        throw new IllegalArgumentException(manifestPath + ": " + shards.remaining()
            + " bytes left over in the shards of a group; the manifest does not describe them");
      }
    }
    return new TfjsWeights(modelName, tensors);
  }

  private static ByteBuffer concatenate(NpmPackage npm, String folder, JsonNode paths, String manifestPath) {
    if (!paths.isArray() || paths.isEmpty()) {
      throw new IllegalArgumentException(manifestPath + ": a weight group has no paths");
    }
    byte[][] parts = new byte[paths.size()][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = npm.bytes(folder + paths.get(i).asText());
      total += parts[i].length;
    }
    ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.flip();
  }

  private static Tensor readTensor(JsonNode weight, ByteBuffer shards, String manifestPath) {
    String name = weight.path("name").asText(null);
    if (name == null) {
      throw new IllegalArgumentException(manifestPath + ": a weight has no name");
    }
    JsonNode shapeNode = weight.path("shape");
    int[] shape = new int[shapeNode.size()];
    int count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asInt();
      count *= shape[i];
    }
    String dtype = weight.path("dtype").asText();
    if (!"float32".equals(dtype)) {
      throw new IllegalArgumentException(manifestPath + ": " + name + " has dtype " + dtype + ", only float32 is supported");
    }
    float[] values = new float[count];
    JsonNode quantization = weight.get("quantization");
    try {
      if (quantization == null || quantization.isNull()) {
        for (int i = 0; i < count; i++) {
          values[i] = shards.getFloat();
        }
      } else {
        String storedAs = quantization.path("dtype").asText();
        double scale = quantization.path("scale").asDouble(Double.NaN);
        double min = quantization.path("min").asDouble(Double.NaN);
        if (!Double.isFinite(scale) || !Double.isFinite(min)) {
          throw new IllegalArgumentException(manifestPath + ": " + name + " has quantization without finite scale and min");
        }
        switch (storedAs) {
          case "uint8" -> {
            for (int i = 0; i < count; i++) {
              values[i] = (float) ((shards.get() & 0xFF) * scale + min);
            }
          }
          case "uint16" -> {
            for (int i = 0; i < count; i++) {
              values[i] = (float) ((shards.getShort() & 0xFFFF) * scale + min);
            }
          }
          default -> throw new IllegalArgumentException(manifestPath + ": " + name
              + " is quantised as " + storedAs + ", only uint8 and uint16 are supported");
        }
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(manifestPath + ": the shards end inside " + name, e);
    }
    return new Tensor(name, shape, values);
  }

  /** The model name, e.g. {@code tiny_face_detector_model}. */
  public String model() {
    return model;
  }

  /** All tensors by name, in manifest order. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /**
   * One tensor, checked to have the given rank.
   *
   * @throws NoSuchElementException when absent
   */
  public Tensor get(String name, int rank) {
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new NoSuchElementException(model + " has no weight " + name);
    }
    if (tensor.rank() != rank) {
      throw new IllegalArgumentException(model + ": " + name + " has rank " + tensor.rank() + ", expected " + rank);
    }
    return tensor;
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }
}
