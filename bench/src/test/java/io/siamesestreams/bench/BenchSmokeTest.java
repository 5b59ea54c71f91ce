package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bench.BenchPlan.Section;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.embedding.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench machinery without a broker, at sizes that take seconds. */
class BenchSmokeTest {

  @TempDir Path dir;

  static BenchPlan tiny(EnumSet<Section> sections) {
    return new BenchPlan("tiny", sections, new int[] {1, 8}, Duration.ofMillis(150), 300, Duration.ofSeconds(60),
        20, Duration.ofSeconds(2), Duration.ofMillis(500), new int[] {500}, 20, new int[] {8, 32}, 16, 300, 256, 50,
        60, 12, new int[] {1, 4});
  }

  @Test
  void shouldMeasureCeilingAndSearchAndPrintACompleteTable() throws Exception {
    Path model = BenchModels.writeSmallEncoder(dir.resolve("small"));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    BenchReport report = new BenchRunner(tiny(EnumSet.of(Section.CEILING, Section.SEARCH)), model, null, 1,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    assertThat(report.ceilingFps()).isPositive();
    assertThat(report.rows()).extracting(BenchReport.Row::measurement)
        .contains("encoder alone, batch 1, intra-op threads 1", "encoder alone, batch 8, intra-op threads 1",
            "ceiling (best of the above)", GallerySearchBench.EXACT_SINGLE,
            GallerySearchBench.EXACT_BATCHED,
            "approximate jvector beam=32")
        .doesNotContain("FAILED");
    assertThat(report.rows())
        .filteredOn(row -> row.section().equals("search 500 latent-16")
            && row.measurement().equals("approximate jvector beam=32"))
        .singleElement().satisfies(row -> assertThat(row.note()).contains("recall@1 probes 1.000"));
    assertThat(report.rows()).extracting(BenchReport.Row::section).contains("search 500 uniform");
    if (Runtime.getRuntime().availableProcessors() > 1) {
      // The service runs 1 intra-op thread here; the ceiling also tries ONNX Runtime's default.
      assertThat(report.rows()).extracting(BenchReport.Row::measurement)
          .contains("encoder alone, batch 8, intra-op threads ONNX Runtime default (one per core)");
    }
    assertThat(report.finalLine()).startsWith("bench: ceiling_fps=").contains("pipeline_fps=NaN");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("bench: ceiling batch 8", "bench: search");
  }

  @Test
  void faceSizeEncoderShouldEmbed150x150ColourImagesInto128UnitVectors() {
    Path face = BenchModels.writeFaceSizeEncoder(dir.resolve("face"));
    try (Encoder encoder = Encoder.open(ModelBundle.load(face), 1)) {
      var images = encoder.preprocessor().allocate(2);
      for (int i = 0; i < images.capacity(); i++) {
        images.put(i, (float) Math.sin(i));
      }
      float[] embeddings = encoder.embed(images, 2);

      assertThat(embeddings).hasSize(256);
      double norm = 0;
      for (int k = 0; k < 128; k++) {
        norm += embeddings[k] * embeddings[k];
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(BenchModels.FACE_ENCODER_MACS).isBetween(250_000_000L, 300_000_000L);
  }
}
