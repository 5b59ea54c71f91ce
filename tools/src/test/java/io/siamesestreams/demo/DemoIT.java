package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.testing.TestBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short demo end to end: embedded broker, topics, the real service with a real ONNX bundle (the
 * shipped {@code models/fashion-mnist} when present, else the small {@link TestBundles} fixture),
 * enrolment, simulated cameras, scoring.
 */
class DemoIT {

  private static final Path SHIPPED_BUNDLE = Path.of("..", "models", "fashion-mnist");

  @Test
  void shouldAccountForEveryFrameAndEndWithTheSummaryLine(@TempDir Path dir) throws Exception {
    Path model = Files.isRegularFile(SHIPPED_BUNDLE.resolve("model.json"))
        ? SHIPPED_BUNDLE
        : TestBundles.write(dir.resolve("bundle"));
    DemoOptions options = new DemoOptions(
        Duration.ofSeconds(15), model, FashionMnistImages.sampleDirectory(), KafkaSettings.empty(),
        40, 3, 5, 7, Duration.ofSeconds(60));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    DemoSummary summary;
    try (PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      summary = new DemoRunner(options, new TeePrintStream(out, System.err)).run();
    }

    System.out.println(summary.line());
    assertThat(summary.line()).matches(
        "demo: frames=\\d+ events=\\d+ dead_lettered=\\d+ accuracy=\\d\\.\\d{4} verify_far=\\d\\.\\d{4}"
            + " verify_frr=\\d\\.\\d{4} identify_accuracy=\\d\\.\\d{4} p50_ms=\\d+\\.\\d p99_ms=\\d+\\.\\d");
    assertThat(summary.frames()).isGreaterThan(15 * 40 / 2);
    assertThat(summary.events() + summary.deadLettered()).isEqualTo(summary.frames());
    assertThat(summary.deadLettered()).isPositive().isLessThan(summary.frames() / 5);
    assertThat(summary.p99Millis()).isGreaterThanOrEqualTo(summary.p50Millis());
    // Well above chance (1 in 10 for identify, 1 in 2 for verify): the scoring follows the ground truth.
    assertThat(summary.identifyAccuracy()).isGreaterThan(0.3);
    assertThat(summary.accuracy()).isGreaterThan(0.55);
    String lines = progress.toString(StandardCharsets.UTF_8);
    assertThat(lines).contains("identities enrolled").containsPattern("\\[ *\\d+\\.\\ds\\] frames=\\d+");
  }

  /** Progress to a buffer (asserted) and to stderr (for people reading the build log). */
  private static final class TeePrintStream extends PrintStream {
    private final PrintStream second;

    TeePrintStream(PrintStream first, PrintStream second) {
      super(first, true, StandardCharsets.UTF_8);
      this.second = second;
    }

    @Override
    public void println(String line) {
      super.println(line);
      second.println(line);
    }
  }
}
