package io.siamesestreams.gateway.camera;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code --cameras} file: YAML ({@code .yaml}/{@code .yml}) or JSON, a list of cameras under
 * {@code cameras:}, each with the keys of {@link CameraSettings} ({@code id} and {@code source}
 * required); keys left out take the command line's values.
 *
 * <pre>{@code
 * cameras:
 *   - id: door-1
 *     source: rtsp://10.0.0.5/stream1
 *     claim: alice
 *     detect-faces: true
 *     min-face: 40
 * }</pre>
 */
public final class CamerasFile {

  private CamerasFile() {}

  /** The cameras of {@code file}, each validated; errors name the file and the camera or key. */
  public static List<CameraSettings> read(Path file, CameraSettings defaults) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = (name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read cameras file " + file + ": " + e.getMessage(), e);
    }
    JsonNode cameras = root == null ? null : root.get("cameras");
    if (cameras == null || !cameras.isArray() || cameras.isEmpty()) {
      throw new IllegalArgumentException("cameras file " + file + " must hold a non-empty list under 'cameras'");
    }
    ObjectNode base = mapper.valueToTree(defaults);
    base.remove(List.of("id", "source"));
    List<CameraSettings> result = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < cameras.size(); i++) {
      JsonNode entry = cameras.get(i);
      if (!entry.isObject()) {
        throw new IllegalArgumentException("cameras file " + file + ": entry " + i + " is not a mapping");
      }
      ObjectNode merged = base.deepCopy();
      merged.setAll((ObjectNode) entry);
      CameraSettings camera;
      try {
        camera = mapper.treeToValue(merged, CameraSettings.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("cameras file " + file + ", entry " + i + ": " + e.getOriginalMessage(), e);
      }
      try {
        camera.validated();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cameras file " + file + ": " + e.getMessage(), e);
      }
      if (!ids.add(camera.id())) {
        throw new IllegalArgumentException("cameras file " + file + ": camera id " + camera.id() + " appears twice");
      }
      result.add(camera);
    }
    return result;
  }
}
