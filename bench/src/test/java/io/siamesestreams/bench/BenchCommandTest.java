package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void shouldBeASubcommandOfTheBenchEntryPointWithItsOptions() {
    CommandLine.ParseResult parsed = BenchCli.newCommandLine()
        .parseArgs("bench", "--quick", "--model", "bundle", "--onnx-threads", "1", "--sections", "ceiling,SEARCH");
    BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();

    assertThat(bench.quick).isTrue();
    assertThat(bench.model).isEqualTo(Path.of("bundle"));
    assertThat(bench.onnxThreads).isEqualTo(1);
    assertThat(bench.sections).containsExactlyInAnyOrder(BenchPlan.Section.CEILING, BenchPlan.Section.SEARCH);
  }

  @Test
  void quickPlanShouldRunTheFaceBundleOnCropsOnlyAndScaleGalleriesDownTo100000() {
    BenchPlan quick = BenchPlan.quick();

    assertThat(quick.runs(BenchPlan.Section.FACE)).isTrue();
    assertThat(quick.faceCropFrames()).isPositive();
    assertThat(quick.faceWholeFrames()).isZero();
    assertThat(quick.runs(BenchPlan.Section.RANDOM_PNG)).isFalse();
    assertThat(quick.searchSizes()).containsExactly(1_000, 10_000, 100_000);
    assertThat(BenchPlan.full().searchSizes()).containsExactly(1_000, 100_000, 1_000_000);
    assertThat(BenchPlan.full().runs(BenchPlan.Section.FACE)).isTrue();
    assertThat(BenchPlan.full().faceWholeFrames()).isPositive();
    assertThat(BenchPlan.full().runs(BenchPlan.Section.RANDOM_PNG)).isTrue();
  }
}
