package io.siamesestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.ServiceCli;
import io.siamesestreams.metrics.MetricsServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run} and {@code demo} both take {@code --metrics-port}, default {@value MetricsServer#DEFAULT_PORT}. */
class MetricsPortOptionTest {

  private static int metricsPort(String... args) {
    CommandLine cli = "run".equals(args[0]) ? ServiceCli.newCommandLine() : SiameseCli.newCommandLine();
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    return parsed.subcommand().commandSpec().findOption("--metrics-port").getValue();
  }

  @Test
  void shouldServeMetricsOnTheDefaultPortUnlessToldOtherwise() {
    assertThat(metricsPort("run", "--bootstrap", "k:9092", "--model", "m")).isEqualTo(MetricsServer.DEFAULT_PORT);
    assertThat(metricsPort("demo")).isEqualTo(MetricsServer.DEFAULT_PORT);
    assertThat(metricsPort("run", "--model", "m", "--metrics-port", "9500")).isEqualTo(9500);
    assertThat(metricsPort("demo", "--metrics-port", "0")).isZero();
  }
}
