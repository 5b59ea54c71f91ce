package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bench.BenchPlan.Section;
import io.siamesestreams.testing.FaceModelFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The face section through a real embedded broker with the real face bundle (face-api's tarball,
 * converted; the test reports itself skipped without npm): JPEG face crops of the sample photos with
 * their face box, the passthrough, batched and per-record pipelines, and 640×480 frames through the
 * service's face detection.
 */
class BenchFaceIT {

  @TempDir Path dir;

  @Test
  void shouldMeasureTheFaceBundleOnJpegCropsAndWholeFramesAgainstItsLimit() throws Exception {
    Path tarball = FaceModelFixtures.tarball();
    Path faceModel = FaceModelFixtures.convert(dir.resolve("faces"));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BenchPlan plan = BenchSmokeTest.tiny(EnumSet.of(Section.FACE));

    BenchReport report = new BenchRunner(plan, BenchModels.writeSmallEncoder(dir.resolve("small")), null, 1, tarball,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    assertThat(report.rows()).extracting(BenchReport.Row::measurement).doesNotContain("FAILED", "skipped");
    assertThat(BenchReportTest.figures(report.finalLine()).get("face_ratio_to_limit")).isFinite().isPositive();
    assertThat(report.rows()).extracting(BenchReport.Row::measurement).contains("crops: batched pipeline, saturated",
        "crops: per-record pipeline, saturated", "aligned chips: batched pipeline, saturated",
        "640x480 frames (detection): batched pipeline, saturated");
    assertThat(report.rows()).filteredOn(row -> row.measurement().equals("aligned chips: pipeline / limit"))
        .singleElement().satisfies(row -> assertThat(Double.parseDouble(row.value())).isPositive());
    assertThat(FaceFrames.alignedChips(tarball, faceModel)).hasSizeGreaterThan(10).allSatisfy(chip -> {
      assertThat(chip.aligned()).isTrue();
      assertThat(chip.faceBox()).isNull();
      assertThat(chip.jpegBytes()).isBetween(1_000, 20_000);
    });
    assertThat(FaceFrames.crops(tarball, faceModel)).hasSizeGreaterThan(10).allSatisfy(crop -> {
      assertThat(crop.jpegBytes()).isBetween(1_000, 20_000);
      assertThat(crop.faceBox()).isNotNull();
      assertThat(crop.faceBox().x() + crop.faceBox().width()).isLessThanOrEqualTo(FaceFrames.CROP_SIZE);
    });
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("bench: passthrough: 300 records",
        "bench: face crops batched: 60 events", "bench: aligned chips batched: 60 events");
  }
}
