package io.siamesestreams.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicSpec;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.demo.FashionMnistImages;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.testing.Dashboards;
import io.siamesestreams.testing.ExternalPrograms;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} against the app's own configuration: Debian's {@code docker-compose}
 * (v1, no daemon needed) validates it and resolves it (anchors, merge keys, defaults); the resolved
 * file is then checked against the metrics port default, the {@code SIAMESE_KAFKA_*} rule, the
 * topic registry and {@code topics/}, the Prometheus and Grafana files and the Dockerfile.
 */
class ComposeFileTest {

  private static final Path REPO = Dashboards.REPOSITORY.toAbsolutePath().normalize();
  private static final Path COMPOSE = REPO.resolve("docker-compose.yml");
  /**
   * The service image (target {@code service} of the Dockerfile), the tools image (target {@code
   * tools}) and the camera gateway's image (target {@code gateway}).
   */
  private static final String SERVICE_IMAGE = "siamese-service:local";
  private static final String TOOLS_IMAGE = "siamese-tools:local";
  private static final String GATEWAY_IMAGE = "siamese-gateway:local";
  private static final String DOCKER_COMPOSE = "docker-compose";

  private static JsonNode services;
  private static String dockerfile;

  /**
   * Runs {@code docker-compose -f docker-compose.yml ARGS} (Debian's v1, which validates a file without
   * a Docker engine); the test is skipped, naming the program, where it is not installed.
   */
  private static ProcessOutput dockerCompose(String... args) throws Exception {
    Path program = ExternalPrograms.require(DOCKER_COMPOSE, "docker-compose");
    List<String> command = new ArrayList<>(List.of(program.toString(), "-f", COMPOSE.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(false).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(DOCKER_COMPOSE + " did not finish within 60 s");
    }
    return new ProcessOutput(process.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private record ProcessOutput(int exitCode, String stdout, String stderr) {}

  @BeforeAll
  static void resolveTheComposeFile() throws Exception {
    if (ExternalPrograms.find(DOCKER_COMPOSE).isEmpty()) {
      return; // each test reports itself skipped (needsDockerCompose), so the build's skip summary lists them
    }
    ProcessOutput config = dockerCompose("config");
    assertThat(config.exitCode()).as("docker-compose config: %s", config.stderr()).isZero();
    services = new YAMLMapper().readTree(config.stdout()).get("services");
    dockerfile = Files.readString(REPO.resolve("Dockerfile"));
  }

  @BeforeEach
  void needsDockerCompose() {
    ExternalPrograms.require(DOCKER_COMPOSE, "docker-compose");
  }

  private static List<String> command(String service) {
    List<String> command = new ArrayList<>();
    services.get(service).path("command").forEach(arg -> command.add(arg.asText()));
    return command;
  }

  private static String optionValue(List<String> command, String option) {
    int i = command.indexOf(option);
    assertThat(i).as("%s in %s", option, command).isNotNegative();
    return command.get(i + 1);
  }

  private static List<String> optionValues(List<String> command, String option) {
    List<String> values = new ArrayList<>();
    for (int i = command.indexOf(option) + 1; i > 0 && i < command.size() && !command.get(i).startsWith("--"); i++) {
      values.add(command.get(i));
    }
    return values;
  }

  private static List<String> appServices() {
    List<String> names = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      String image = e.getValue().path("image").asText();
      if (SERVICE_IMAGE.equals(image) || TOOLS_IMAGE.equals(image) || GATEWAY_IMAGE.equals(image)) {
        names.add(e.getKey());
      }
    });
    return names;
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new HashMap<>();
    services.get(service).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** Host path → container path of a service's bind mounts ({@code SRC:DST[:MODE]}). */
  private static Map<Path, String> bindMounts(String service) {
    Map<Path, String> mounts = new HashMap<>();
    for (JsonNode volume : services.get(service).path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[0].startsWith("/")) {
        mounts.put(Path.of(parts[0]).normalize(), parts[1]);
      }
    }
    return mounts;
  }

  /** The lines of the Dockerfile's stage {@code FROM … AS name}, up to the next {@code FROM}. */
  private static List<String> stage(String name) {
    List<String> lines = new ArrayList<>();
    boolean inStage = false;
    for (String line : dockerfile.lines().toList()) {
      if (line.startsWith("FROM ")) {
        inStage = line.endsWith(" AS " + name);
      } else if (inStage) {
        lines.add(line);
      }
    }
    assertThat(lines).as("Dockerfile stage %s", name).isNotEmpty();
    return lines;
  }

  /** The Dockerfile's {@code COPY SRC DST} destination for a build-context path. */
  private static String copiedTo(String source) {
    return dockerfile.lines().filter(l -> l.startsWith("COPY " + source + " ")).map(l -> l.split("\\s+")[2])
        .findFirst().orElseThrow(() -> new AssertionError("the Dockerfile does not COPY " + source));
  }

  @Test
  void shouldPassDockerComposeValidation() throws Exception {
    ProcessOutput check = dockerCompose("config", "-q");

    assertThat(check.exitCode()).as("docker-compose config -q: %s", check.stderr()).isZero();
  }

  @Test
  void shouldRunEveryPartOfTheStack() {
    Set<String> names = new HashSet<>();
    services.fieldNames().forEachRemaining(names::add);

    assertThat(names).contains("kafka", "topics", "app", "enroll", "gateway", "prometheus", "grafana");
    assertThat(services.get("app").path("build").path("context").asText()).isEqualTo(REPO.toString());
  }

  @Test
  void shouldShipTheServiceAloneInTheServiceImageAndTheToolsBesideIt() {
    assertThat(services.get("app").path("image").asText()).isEqualTo(SERVICE_IMAGE);
    assertThat(services.get("app").path("build").path("target").asText()).isEqualTo("service");
    for (String tool : List.of("topics", "enroll")) {
      assertThat(services.get(tool).path("image").asText()).as(tool).isEqualTo(TOOLS_IMAGE);
      assertThat(services.get(tool).path("build").path("target").asText()).as(tool).isEqualTo("tools");
    }
    assertThat(services.get("gateway").path("image").asText()).isEqualTo(GATEWAY_IMAGE);
    assertThat(services.get("gateway").path("build").path("target").asText()).isEqualTo("gateway");
    List<String> copies = stage("service").stream().filter(l -> l.startsWith("COPY --from=build")).toList();
    assertThat(copies).isNotEmpty().allSatisfy(copy -> assertThat(copy).contains("/src/service/target/"));
    List<String> gatewayCopies = stage("gateway").stream().filter(l -> l.startsWith("COPY --from=build")).toList();
    assertThat(gatewayCopies).isNotEmpty().allSatisfy(copy -> assertThat(copy).contains("/src/gateway/target/"));
    assertThat(dockerfile.lines().reduce((first, second) -> second).orElseThrow())
        .as("the service is the Dockerfile's last stage, what a plain `docker build` gives").contains("CMD");
    assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).reduce((first, second) -> second).orElseThrow())
        .endsWith(" AS service");
  }

  @Test
  void shouldRunTheOfficialKafkaImageInKraftModeAtTheClientsVersion() {
    Map<String, String> kafka = environment("kafka");

    assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
    assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isNotBlank();
    assertThat(kafka).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
  }

  @Test
  void shouldConfigureEverySiameseContainerThroughKafkaSettingsEnvironmentVariables() {
    String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
    Set<String> clientKeys = new HashSet<>();
    clientKeys.addAll(ProducerConfig.configNames());
    clientKeys.addAll(ConsumerConfig.configNames());
    clientKeys.addAll(AdminClientConfig.configNames());
    clientKeys.addAll(StreamsConfig.configDef().names());

    assertThat(appServices()).contains("topics", "app", "enroll", "gateway");
    for (String service : appServices()) {
      Map<String, String> env = environment(service);
      for (String name : env.keySet()) {
        assertThat(name).as("%s: environment variable", service).matches("JAVA_OPTS|SIAMESE_KAFKA_[A-Z0-9_]+");
        if (name.startsWith(KafkaSettings.ENV_PREFIX)) {
          String key = KafkaSettings.environmentNameToKey(name.substring(KafkaSettings.ENV_PREFIX.length()));
          assertThat(key.startsWith("siamese.topic.") || clientKeys.contains(key))
              .as("%s: %s becomes %s, which no Kafka client knows", service, name, key).isTrue();
        }
      }
      String bootstrap = KafkaSettings.fromEnvironment(env).requireBootstrapServers();
      assertThat(advertised).as("%s: bootstrap %s among kafka's advertised listeners", service, bootstrap)
          .contains("PLAINTEXT://" + bootstrap);
    }
  }

  @Test
  void shouldApplyTheTopicsOfTheRepositoryWithTheNamesEveryContainerUses() {
    List<String> command = command("topics");
    String directory = optionValue(command, "--dir");
    Set<String> catalogNames = new HashSet<>();
    for (TopicSpec spec : TopicCatalog.load(REPO.resolve("topics")).specs()) {
      catalogNames.add(spec.name());
    }

    assertThat(command.subList(0, 2)).containsExactly("topics", "apply");
    assertThat(bindMounts("topics")).containsEntry(REPO.resolve("topics"), directory);
    assertThat(copiedTo("topics")).isEqualTo(directory);
    assertThat(catalogNames).containsExactlyInAnyOrderElementsOf(Topics.defaults().names());
    for (String service : appServices()) {
      Topics topics = Topics.defaults().withOverrides(KafkaSettings.fromEnvironment(environment(service)).all());
      assertThat(topics.names()).as("%s: topic names", service).containsExactlyInAnyOrderElementsOf(catalogNames);
    }
  }

  @Test
  void shouldServeMetricsOnTheDefaultPortThatPrometheusScrapes() throws Exception {
    List<String> command = command("app");
    int port = Integer.parseInt(optionValue(command, "--metrics-port"));
    JsonNode published = services.get("app").get("ports").get(0);
    JsonNode scrape = new YAMLMapper().readTree(REPO.resolve("prometheus/prometheus.yml").toFile())
        .get("scrape_configs").get(0);

    assertThat(command.get(0)).isEqualTo("run");
    assertThat(port).isEqualTo(MetricsServer.DEFAULT_PORT);
    assertThat(published.get("target").asInt()).isEqualTo(port);
    assertThat(published.get("published").asInt()).isEqualTo(port);
    assertThat(dockerfile).contains("EXPOSE " + port);
    assertThat(scrape.get("metrics_path").asText()).isEqualTo(MetricsServer.METRICS_PATH);
    assertThat(scrape.get("static_configs").get(0).get("targets").get(0).asText()).isEqualTo("app:" + port);
    assertThat(services.get("app").get("healthcheck").get("test").toString())
        .contains("127.0.0.1/" + port).contains("GET " + MetricsServer.READY_PATH + " ");
    assertThat(bindMounts("prometheus")).containsEntry(REPO.resolve("prometheus/prometheus.yml"),
        "/etc/prometheus/prometheus.yml");
  }

  @Test
  void shouldServeTheShippedModelFromTheImage() {
    assertThat(optionValue(command("app"), "--model")).isEqualTo(copiedTo("models/fashion-mnist"));
  }

  @Test
  void shouldProvisionGrafanaWithThePrometheusDatasourceAndTheDashboard() throws Exception {
    Map<Path, String> mounts = bindMounts("grafana");
    YAMLMapper yaml = new YAMLMapper();
    JsonNode datasource = yaml.readTree(REPO.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
        .get("datasources").get(0);
    JsonNode provider = yaml.readTree(REPO.resolve("grafana/provisioning/dashboards/siamese-streams.yml").toFile())
        .get("providers").get(0);
    JsonNode prometheusPort = services.get("prometheus").get("ports").get(0);

    assertThat(mounts).containsEntry(REPO.resolve("grafana/provisioning"), "/etc/grafana/provisioning");
    assertThat(mounts).containsEntry(REPO.resolve("grafana/dashboards"), provider.get("options").get("path").asText());
    assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:" + prometheusPort.get("target").asInt());
    assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
        .isEqualTo(provider.get("options").get("path").asText() + "/" + Dashboards.DASHBOARD.getFileName());
    for (JsonNode panel : Dashboards.panels(Dashboards.DASHBOARD)) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.get("datasource").get("uid").asText()).as("panel %s", panel.get("title"))
          .isEqualTo(datasource.get("uid").asText());
    }
  }

  @Test
  void shouldEnrolAndStreamSampleImagesThatShipInTheImage() throws Exception {
    String samples = copiedTo("docker/samples");
    Set<String> enrolled = new HashSet<>();
    try (Stream<Path> dirs = Files.list(REPO.resolve("docker/samples/enroll"))) {
      dirs.forEach(d -> enrolled.add(d.getFileName().toString()));
    }
    assertThat(enrolled).containsExactlyInAnyOrderElementsOf(FashionMnistImages.IDENTITY_IDS);
    assertThat(String.join(" ", command("enroll"))).contains(samples + "/enroll/").contains("siamese enroll");

    List<String> gateway = command("gateway");
    assertThat(gateway.get(0)).isEqualTo("gateway");
    String camerasFile = optionValue(gateway, "--cameras");
    assertThat(copiedTo("docker/cameras.yml")).isEqualTo(camerasFile);
    JsonNode cameras = new YAMLMapper().readTree(REPO.resolve("docker/cameras.yml").toFile()).get("cameras");
    assertThat(cameras.size()).as("cameras in docker/cameras.yml").isGreaterThanOrEqualTo(3);
    Set<String> ids = new HashSet<>();
    Set<String> claims = new HashSet<>();
    int identifying = 0;
    for (JsonNode camera : cameras) {
      String id = camera.get("id").asText();
      assertThat(ids.add(id)).as("camera id %s appears once", id).isTrue();
      if (camera.has("claim")) {
        claims.add(camera.get("claim").asText());
      } else {
        identifying++;
      }
      String source = camera.get("source").asText();
      assertThat(source).as("camera %s plays images that ship in the image", id).startsWith(samples + "/");
      Path local = REPO.resolve("docker/samples").resolve(source.substring(samples.length() + 1));
      try (Stream<Path> files = Files.walk(local)) {
        assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).as("PNGs in %s", local).isPositive();
      }
    }
    assertThat(enrolled).as("the claimed identities are enrolled").containsAll(claims);
    assertThat(claims).as("a camera that verifies (1:1)").isNotEmpty();
    assertThat(identifying).as("a camera that identifies (1:N)").isPositive();
  }

  @Test
  void shouldLetPrometheusScrapeTheCameraGatewaysMetrics() throws Exception {
    List<String> command = command("gateway");
    int port = Integer.parseInt(optionValue(command, "--metrics-port"));
    JsonNode published = services.get("gateway").get("ports").get(0);
    List<String> targets = new YAMLMapper().readTree(REPO.resolve("prometheus/prometheus.yml").toFile())
        .get("scrape_configs").findValues("targets").stream()
        .flatMap(t -> java.util.stream.StreamSupport.stream(t.spliterator(), false)).map(JsonNode::asText).toList();

    assertThat(published.get("target").asInt()).isEqualTo(port);
    assertThat(stage("gateway")).contains("EXPOSE " + port);
    assertThat(targets).contains("gateway:" + port);
  }
}
