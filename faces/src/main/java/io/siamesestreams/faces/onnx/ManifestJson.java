package io.siamesestreams.faces.onnx;

import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Reads and writes the face nets' JSON manifests ({@code detector.json}, {@code landmarks.json}),
 * checking them both ways with the manifest's own check.
 */
public final class ManifestJson {

  private ManifestJson() {}

  /**
   * Reads {@code directory/fileName} as a {@code type} and checks it.
   *
   * @param what the manifest, for messages (e.g. {@code detector manifest})
   * @param check throws IllegalArgumentException for an invalid manifest, naming the file (its second argument)
   * @throws UncheckedIOException when the file is missing or is not such JSON
   */
  public static <T> T read(Path directory, String fileName, Class<T> type, String what, BiConsumer<T, String> check) {
    Path file = directory.resolve(fileName);
    T manifest;
    try {
      manifest = Json.mapper().readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
    check.accept(manifest, file.toString());
    return manifest;
  }

  /**
   * Checks {@code manifest}, then writes it as indented JSON to {@code directory/fileName},
   * creating the directory.
   *
   * @param what the manifest, for messages (e.g. {@code detector manifest})
   * @param check as for {@link #read}
   */
  public static <T> void write(Path directory, String fileName, T manifest, String what, BiConsumer<T, String> check) {
    Path file = directory.resolve(fileName);
    check.accept(manifest, file.toString());
    try {
      Files.createDirectories(directory);
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " in " + directory, e);
    }
  }
}
