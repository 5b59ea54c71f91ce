package io.siamesestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.RunCommand;
import io.siamesestreams.app.ServiceCli;
import io.siamesestreams.metrics.MetricsServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code run} and {@code demo} both take {@code --metrics-port}, default {@value MetricsServer#DEFAULT_PORT}; for
 * {@code run} it is an alias of {@code --http-port}, the port of its one HTTP server.
 */
class MetricsPortOptionTest {

  private static int metricsPort(String... args) {
    if ("run".equals(args[0])) {
      CommandLine.ParseResult parsed = ServiceCli.newCommandLine().parseArgs(args);
      return ((RunCommand) parsed.subcommand().commandSpec().userObject()).settings(Map.of()).httpPort();
    }
    CommandLine.ParseResult parsed = SiameseCli.newCommandLine().parseArgs(args);
    return parsed.subcommand().commandSpec().findOption("--metrics-port").getValue();
  }

  @Test
  void shouldServeMetricsOnTheDefaultPortUnlessToldOtherwise() {
    assertThat(metricsPort("run", "--bootstrap", "k:9092", "--model", "m")).isEqualTo(MetricsServer.DEFAULT_PORT);
    assertThat(metricsPort("demo")).isEqualTo(MetricsServer.DEFAULT_PORT);
    assertThat(metricsPort("run", "--bootstrap", "k:9092", "--model", "m", "--metrics-port", "9500")).isEqualTo(9500);
    assertThat(metricsPort("demo", "--metrics-port", "0")).isZero();
    assertThat(metricsPort("run", "--bootstrap", "k:9092", "--model", "m", "--http-port", "9501")).isEqualTo(9501);
  }
}
