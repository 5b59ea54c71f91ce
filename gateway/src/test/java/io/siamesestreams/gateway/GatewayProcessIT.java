package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.testing.Dashboards;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code siamese-gateway.jar} as its own process: metrics over HTTP, and a clean exit on SIGTERM. */
class GatewayProcessIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  @Test
  void sigtermSendsWhatIsQueuedPrintsTheCountsAndExitsAndMetricsAreServedMeanwhile() throws Exception {
    String topic = "frames-process";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    Path folder = Files.createDirectories(dir.resolve("loop"));
    List<BufferedImage> images = TestMedia.fashionFrames(5, 160, 120);
    for (int i = 0; i < images.size(); i++) {
      ImageIO.write(images.get(i), "png", folder.resolve("f" + i + ".png").toFile());
    }
    Path config = Files.writeString(dir.resolve("kafka.properties"), "siamese.topic.frames=" + topic + "\n");
    Path jar = Path.of("target/siamese-gateway.jar").toAbsolutePath();
    assertThat(jar).isRegularFile();
    Path stderr = dir.resolve("gateway.err");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString(), "gateway", "--bootstrap", KAFKA.bootstrapServers(), "--config", config.toString(),
        "--camera", "loop-1", "--source", folder.toString(), "--fps", "10", "--realtime", "--loop", "--metrics-port", "0")
        .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      int port = metricsPort(stderr);
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String metrics = "";
      while (System.nanoTime() < deadline && !metrics.contains("siamese_gateway_frames_sent_total{camera=\"loop-1\"} 1")) {
        metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Thread.sleep(200);
      }
      assertThat(metrics).contains("siamese_gateway_frames_sent_total{camera=\"loop-1\"} 1")
          .contains("siamese_gateway_frames_decoded_total{camera=\"loop-1\"}")
          .contains("siamese_gateway_camera_up{camera=\"loop-1\"} 1.0")
          .contains("siamese_gateway_capture_to_send_lag_seconds_count{camera=\"loop-1\"}")
          .contains("siamese_gateway_decode_seconds_count{camera=\"loop-1\"}")
          .contains("siamese_gateway_reconnects_total{camera=\"loop-1\"} 0.0")
          .contains("siamese_gateway_frames_dropped_total{camera=\"loop-1\",reason=\"queue-full\"} 0.0");
      // The Grafana dashboard's gateway row has no dead panel: every gateway metric it queries is served.
      Set<String> dashboardMetrics = new TreeSet<>(Dashboards.metricNames(Dashboards.DASHBOARD));
      dashboardMetrics.removeIf(name -> !name.startsWith("siamese_gateway_"));
      assertThat(dashboardMetrics).as("gateway metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(7);
      assertThat(Dashboards.sampleNames(metrics)).containsAll(dashboardMetrics);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String log = Files.readString(stderr);
    Matcher summary = Pattern.compile("gateway: camera loop-1: decoded (\\d+), sent (\\d+), dropped \\{}").matcher(log);
    assertThat(summary.find()).as(log).isTrue();
    int sent = Integer.parseInt(summary.group(2));
    assertThat(sent).isPositive();
    // Everything counted as sent is on the topic: nothing was lost in the queue or the producer at exit.
    assertThat(GatewayFixture.frames(KAFKA.bootstrapServers(), topic, sent + 1, Duration.ofSeconds(5))).hasSize(sent);
  }

  private static int metricsPort(Path stderr) throws Exception {
    Pattern line = Pattern.compile("metrics on http://0\\.0\\.0\\.0:(\\d+)/metrics");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher matcher = line.matcher(Files.readString(stderr));
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no metrics port in " + Files.readString(stderr));
  }
}
