package io.siamesestreams.faces;

import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the parity inputs (raw RGB of the chips and frames, exactly as the Java side decodes and
 * aligns them) for {@code src/test/node/make-reference.mjs}, which runs face-api on them.
 * Run once when the reference is (re)made: {@code java -cp <test classpath>
 * io.siamesestreams.faces.WriteParityInputs OUT_DIR}.
 *
 * <p>Writes {@code OUT_DIR/<name>.rgb} (H × W × 3 bytes) and {@code OUT_DIR/inputs.json}
 * ({@code chips: [{name, width, height, sha256}]}, {@code frames: [{name, photo, width, height,
 * inputSize, sha256}]}).
 */
public final class WriteParityInputs {

  private WriteParityInputs() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/parity-inputs");
    Files.createDirectories(out);
    List<Map<String, Object>> chips = new ArrayList<>();
    for (Map.Entry<String, RgbImage> chip : FaceApiFixtures.parityChips().entrySet()) {
      chips.add(write(out, chip.getKey(), chip.getValue(), null, null));
    }
    List<Map<String, Object>> frames = new ArrayList<>();
    for (int i = 0; i < FaceApiFixtures.PARITY_FRAMES.length; i++) {
      String photo = (String) FaceApiFixtures.PARITY_FRAMES[i][0];
      int inputSize = (int) FaceApiFixtures.PARITY_FRAMES[i][1];
      frames.add(write(out, "frame" + i, FaceApiFixtures.photo(photo), photo, inputSize));
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("chips", chips);
    index.put("frames", frames);
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("inputs.json").toFile(), index);
    System.out.println("parity inputs written to " + out.toAbsolutePath());
  }

  private static Map<String, Object> write(Path out, String name, RgbImage image, String photo, Integer inputSize)
      throws IOException {
    Files.write(out.resolve(name + ".rgb"), image.rgb());
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    if (photo != null) {
      entry.put("photo", photo);
      entry.put("inputSize", inputSize);
    }
    entry.put("width", image.width());
    entry.put("height", image.height());
    entry.put("sha256", FaceApiFixtures.sha256(image));
    return entry;
  }
}
