package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.testing.Dashboards;
import io.siamesestreams.testing.ExternalPrograms;
import io.siamesestreams.testing.TestBundles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No dead panels: a short {@code siamese demo} (embedded broker, the real service and model,
 * simulated cameras) serves {@code /metrics}; every metric the Grafana dashboard queries must be in
 * the scrape, and a real Prometheus server (Debian's {@code prometheus}, started here on 127.0.0.1
 * with the repository's scrape configuration pointed at the demo) must see frames/s > 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {

  private static final Path SHIPPED_BUNDLE = Path.of("..", "models", "fashion-mnist");
  private static final Path SCRAPE_CONFIG = Dashboards.REPOSITORY.resolve("prometheus/prometheus.yml");
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(40);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicReference<Throwable> demoFailure = new AtomicReference<>();
  private Path dir;
  private int metricsPort;
  private Thread demo;
  private Process prometheus;

  @BeforeAll
  void startDemo() throws Exception {
    dir = Files.createTempDirectory("observability-it-");
    Path model = Files.isRegularFile(SHIPPED_BUNDLE.resolve("model.json"))
        ? SHIPPED_BUNDLE
        : TestBundles.write(dir.resolve("bundle"));
    // Longer than the tests need: the demo is interrupted once they are done.
    DemoOptions options = new DemoOptions(Duration.ofSeconds(120), model, FashionMnistImages.sampleDirectory(),
        KafkaSettings.empty(), 40, 3, 5, 11, Duration.ofSeconds(10));
    metricsPort = freePort();
    demo = new Thread(() -> {
      try {
        new DemoRunner(options, new PrintStream(System.err, true, StandardCharsets.UTF_8), metricsPort).run();
      } catch (InterruptedException e) {
        // the end of the test class stops the demo
      } catch (Throwable e) {
        demoFailure.set(e);
      }
    }, "observability-demo");
    demo.setDaemon(true);
    demo.start();

    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (true) {
      HttpResponse<String> health = getOrNull("http://127.0.0.1:" + metricsPort + MetricsServer.HEALTH_PATH);
      if (health != null && health.statusCode() == 200) {
        assertThat(health.body()).isEqualTo("ready\n");
        break;
      }
      if (demoFailure.get() != null) {
        throw new AssertionError("the demo failed before the service was ready", demoFailure.get());
      }
      if (System.nanoTime() > deadline) {
        fail("/health not 200 within " + STARTUP + "; last answer: "
            + (health == null ? "no connection" : health.statusCode() + " " + health.body()));
      }
      Thread.sleep(250);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (demo != null) {
      demo.interrupt();
      demo.join(60_000);
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void shouldServeEveryMetricTheDashboardAndTheAlertsQueryDuringADemo() throws Exception {
    Set<String> wanted = Dashboards.metricNames(Dashboards.DASHBOARD);
    assertThat(wanted).as("metric names found in the dashboard's queries").hasSizeGreaterThan(10);
    wanted.addAll(io.siamesestreams.testing.AlertRules.serviceMetricNames());
    // The gateway row's metrics come from a camera gateway, not the service: GatewayProcessIT checks them.
    wanted.removeIf(name -> name.startsWith("siamese_gateway_"));

    Set<String> missing = new TreeSet<>(wanted);
    String scrape = "";
    long deadline = System.nanoTime() + WAIT.toNanos();
    // Dead letters and each decision appear once the cameras have sent a few frames.
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      scrape = get("http://127.0.0.1:" + metricsPort + MetricsServer.METRICS_PATH).body();
      missing = new TreeSet<>(wanted);
      missing.removeAll(Dashboards.sampleNames(scrape));
    }

    assertThat(missing).as("dashboard metrics absent from /metrics after %s", WAIT).isEmpty();
    assertThat(scrape).containsPattern("(?m)^siamese_frames_consumed_total [1-9]")
        .containsPattern("(?m)^siamese_match_events_total\\{decision=\"[A-Z_]+\",mode=\"(VERIFY|IDENTIFY)\"} [1-9]")
        .containsPattern("(?m)^siamese_dead_letters_total\\{input=\"frames\",reason=\"[A-Za-z0-9_:]+\"} [1-9]")
        .containsPattern("(?m)^siamese_gallery_identities [1-9]")
        .containsPattern("(?m)^siamese_model_info\\{.*model_id=\"[^\"]+\".*} 1")
        .contains("kafka_stream_thread_process_rate", "jvm_memory_used_bytes{area=\"heap\"");
    System.out.println("ObservabilityIT: a sample of the scrape:");
    scrape.lines().filter(l -> l.startsWith("siamese_") && !l.contains("_bucket"))
        .forEach(l -> System.out.println("  " + l));
  }

  @Test
  void shouldShowFramesPerSecondAboveZeroInARealPrometheus() throws Exception {
    // Debian's package installs both and starts no server: this test starts one.
    Path prometheusBinary = ExternalPrograms.require("prometheus", "prometheus");
    Path promtool = ExternalPrograms.require("promtool", "prometheus");
    // The shipped scrape configuration must be valid as it is ...
    Process check = new ProcessBuilder(promtool.toString(), "check", "config", SCRAPE_CONFIG.toString())
        .redirectErrorStream(true).start();
    String checkOutput = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("promtool check config: %s", checkOutput).isZero();

    // ... and, pointed at the demo and scraping every second, give a non-zero throughput.
    ObjectNode config = (ObjectNode) new YAMLMapper().readTree(SCRAPE_CONFIG.toFile());
    ((ObjectNode) config.get("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
    ObjectNode job = (ObjectNode) config.get("scrape_configs").get(0);
    String jobName = job.get("job_name").asText();
    ArrayNode targets = (ArrayNode) job.get("static_configs").get(0).get("targets");
    targets.removeAll().add("127.0.0.1:" + metricsPort);
    Path configFile = dir.resolve("prometheus.yml");
    new YAMLMapper().writeValue(configFile.toFile(), config);
    int prometheusPort = freePort();
    prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    String api = "http://127.0.0.1:" + prometheusPort;

    String throughput = Dashboards.queries(Dashboards.DASHBOARD).stream()
        .filter(q -> q.contains("siamese_frames_consumed_total")).findFirst().orElseThrow()
        .replace("$__rate_interval", "5s");
    double framesPerSecond = 0;
    double up = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (framesPerSecond <= 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      assertThat(prometheus.isAlive()).as("prometheus is running; log: %s", log()).isTrue();
      up = firstValue(api, "up{job=\"" + jobName + "\"}");
      framesPerSecond = firstValue(api, throughput);
    }

    assertThat(up).as("Prometheus scrapes the demo (up); log: %s", log()).isEqualTo(1.0);
    assertThat(framesPerSecond).as("%s through Prometheus's HTTP API", throughput).isGreaterThan(0);
    System.out.println("ObservabilityIT: Prometheus " + throughput + " = " + framesPerSecond);
  }

  /** The first sample value of an instant query, or 0 when there is none (or Prometheus is not up yet). */
  private double firstValue(String api, String query) throws InterruptedException {
    HttpResponse<String> response =
        getOrNull(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    if (response == null || response.statusCode() != 200) {
      return 0;
    }
    try {
      JsonNode result = new ObjectMapper().readTree(response.body()).path("data").path("result");
      if (result.isEmpty()) {
        return 0;
      }
      double value = Double.parseDouble(result.get(0).path("value").get(1).asText());
      return Double.isNaN(value) ? 0 : value;
    } catch (IOException e) {
      throw new AssertionError("unreadable Prometheus answer: " + response.body(), e);
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> getOrNull(String url) throws InterruptedException {
    try {
      return get(url);
    } catch (IOException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
