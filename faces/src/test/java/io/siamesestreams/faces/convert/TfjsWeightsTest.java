package io.siamesestreams.faces.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsWeightsTest {

  @TempDir
  Path dir;

  @Test
  void shouldDequantiseUint8AsQTimesScalePlusMin() throws IOException {
    String manifest = """
        [{"paths": ["m.bin"], "weights": [
          {"name": "q", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}}
        ]}]""";
    NpmPackage npm = NpmPackage.read(tarball(Map.of(
        "package/model/m-weights_manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
        "package/model/m.bin", new byte[] {0, 1, 2, (byte) 255})));

    TfjsWeights.Tensor q = TfjsWeights.read(npm, "m").get("q", 2);

    assertThat(q.shape()).containsExactly(2, 2);
    assertThat(q.values()).containsExactly(-1.0f, -0.5f, 0.0f, 126.5f);
  }

  @Test
  void shouldReadFloat32TensorsAcrossConcatenatedShards() throws IOException {
    ByteBuffer floats = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
    byte[] all = floats.array();
    byte[] first = Arrays.copyOfRange(all, 0, 6);
    byte[] second = Arrays.copyOfRange(all, 6, 12);
    String manifest = """
        [{"paths": ["a.bin", "b.bin"], "weights": [
          {"name": "w", "shape": [2], "dtype": "float32"},
          {"name": "v", "shape": [1], "dtype": "float32"}
        ]}]""";
    NpmPackage npm = NpmPackage.read(tarball(Map.of(
        "package/model/m-weights_manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
        "package/model/a.bin", first, "package/model/b.bin", second)));

    TfjsWeights weights = TfjsWeights.read(npm, "m");

    assertThat(weights.get("w", 1).values()).containsExactly(1.5f, -2f);
    assertThat(weights.get("v", 1).values()).containsExactly(3.25f);
  }

  @Test
  void shouldRejectShardsThatDoNotMatchTheManifest() throws IOException {
    String manifest = """
        [{"paths": ["m.bin"], "weights": [{"name": "w", "shape": [2], "dtype": "float32"}]}]""";
    NpmPackage tooShort = NpmPackage.read(tarball(Map.of(
        "package/model/m-weights_manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
        "package/model/m.bin", new byte[4])));
    assertThatThrownBy(() -> TfjsWeights.read(tooShort, "m")).hasMessageContaining("end inside w");

    NpmPackage tooLong = NpmPackage.read(tarball(Map.of(
        "package/model/m-weights_manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
        "package/model/m.bin", new byte[12])));
    assertThatThrownBy(() -> TfjsWeights.read(tooLong, "m")).hasMessageContaining("4 bytes left over");
  }

  @Test
  void shouldNameTheTarballWhenAFileIsMissing() throws IOException {
    NpmPackage npm = NpmPackage.read(tarball(Map.of("package/package.json", "{}".getBytes(StandardCharsets.UTF_8))));

    assertThat(npm.contains("package.json")).isTrue();
    assertThatThrownBy(() -> npm.bytes("model/x.bin"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("model/x.bin");
  }

  private Path tarball(Map<String, byte[]> entries) throws IOException {
    Path file = dir.resolve("p" + System.nanoTime() + ".tgz");
    try (OutputStream out = Files.newOutputStream(file);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      for (Map.Entry<String, byte[]> e : new LinkedHashMap<>(entries).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
