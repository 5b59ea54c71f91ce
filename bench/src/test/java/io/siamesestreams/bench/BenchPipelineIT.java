package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bench.BenchPlan.Section;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench through a real embedded broker at tiny sizes: the bare passthrough and then batched and
 * per-record services drain a 300-frame backlog with exactly-once (the per-record run may read a few paced frames past it), paced latency runs at three load levels, and the service's
 * resident memory is read from its own JVM with a 300-identity gallery.
 */
class BenchPipelineIT {

  @TempDir Path dir;

  @Test
  void shouldFillEveryFigureOfTheFinalLineFromARealPipeline() throws Exception {
    Path model = BenchModels.writeSmallEncoder(dir.resolve("small"));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BenchPlan plan = BenchSmokeTest.tiny(EnumSet.of(Section.CEILING, Section.PIPELINE, Section.LATENCY,
        Section.MEMORY));

    BenchReport report = new BenchRunner(plan, model, null, 1,
        new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    assertThat(report.rows()).extracting(BenchReport.Row::measurement).doesNotContain("FAILED");
    Map<String, Double> figures = BenchReportTest.figures(report.finalLine());
    assertThat(figures).hasSize(9).hasEntrySatisfying("face_ratio_to_limit", value -> assertThat(value).isNaN());
    figures.remove("face_ratio_to_limit");
    assertThat(figures).allSatisfy((name, value) -> assertThat(value).as(name).isFinite().isPositive());
    assertThat(report.passthroughFps()).isPositive();
    // The cost split comes from the service's own stage timers: every stage took time.
    for (String stage : new String[] {"parse", "decode", "dedupe", "buffer", "faces", "encode", "search", "event"}) {
      assertThat(report.rows()).filteredOn(row -> row.measurement().equals("batched cost: " + stage)).singleElement()
          .satisfies(row -> assertThat(Double.parseDouble(row.value())).as(stage).isPositive());
    }
    // The measured runs are the JVM's second pass: the cold pass is reported beside them, three positive figures.
    assertThat(report.rows()).filteredOn(row -> row.section().equals("pipeline")
            && row.measurement().startsWith("warm-up, not measured")).singleElement()
        .satisfies(row -> assertThat(row.value().split(" / ")).hasSize(3)
            .allSatisfy(value -> assertThat(Double.parseDouble(value)).isPositive()));
    assertThat(report.pipelineFps()).isPositive();
    assertThat(report.perRecordFps()).isPositive();
    assertThat(report.p99MsAt50Percent()).isPositive();
    assertThat(report.rows()).filteredOn(row -> row.section().equals("memory")).singleElement()
        .satisfies(row -> assertThat(Double.parseDouble(row.value())).isBetween(50.0, 2048.0));
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("bench: passthrough: 300 records", "bench: warm-up batched: 300 events", "bench: batched: 300 events",
            "bench: per-record: ", "bench: latency at 50 %");
  }
}
