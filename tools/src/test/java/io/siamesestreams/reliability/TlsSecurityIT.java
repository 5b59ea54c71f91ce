package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.broker.AclFile;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.ScramSecurity;
import io.siamesestreams.broker.TlsMaterial;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7 over TLS (docs/RELIABILITY.md): the embedded broker's client listener is {@code SASL_SSL}
 * (SCRAM-SHA-512 over TLS, a certificate from a CA made at start by {@link TlsMaterial}) with the ACL
 * set of {@code topics/acls.json}. Every client is a {@code siamese} command in its own JVM, configured
 * the way an operator would: one {@code --config} file without secrets ({@code security.protocol},
 * {@code sasl.mechanism}, {@code ssl.truststore.location/type}, topic names) and the secrets in the
 * environment ({@code SIAMESE_KAFKA_SSL_TRUSTSTORE_PASSWORD}, {@code SIAMESE_KAFKA_SASL_JAAS_CONFIG}).
 * The enroller enrols, the service verifies the gateway's frame, the subscriber watches the event; a
 * plaintext client and a TLS client that does not trust the CA are refused; no password of any kind
 * appears in any command's output, Kafka's own configuration dumps (turned to INFO) included.
 */
class TlsSecurityIT {

  private static final ScramSecurity SECURITY = ReliabilityFixtures.randomRoleCredentials();
  private static final String ADMIN_PASSWORD = SECURITY.superUserPassword();
  private static final Map<String, String> PASSWORDS = SECURITY.users();
  private static final Path TLS_DIRECTORY = temporaryDirectory();
  private static final long TLS_CREATION_START = System.nanoTime();
  private static final TlsMaterial TLS = TlsMaterial.loadOrCreate(TLS_DIRECTORY, List.of());
  private static final long TLS_CREATION_MS = (System.nanoTime() - TLS_CREATION_START) / 1_000_000;

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(BrokerSettings.ephemeral().withScramSecurity(SECURITY).withTls(TLS));

  private static final String APPLICATION_ID = "tls-app";
  private static final Duration TOOL_WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @AfterAll
  static void deleteTlsMaterial() throws IOException {
    try (Stream<Path> files = Files.walk(TLS_DIRECTORY)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void shouldRunTheServiceAndToolsOverSaslSslWithSettingsFromConfigAndSecretsFromTheEnvironment()
      throws Exception {
    long started = System.nanoTime();
    assertThat(KAFKA.broker().settings().clientProtocol()).isEqualTo("SASL_SSL");
    Topics topics = Topics.prefixed("tls-");
    try (Admin admin = Admin.create(new HashMap<>(KAFKA.broker().clientProperties("admin")))) {
      admin.createTopics(topics.names().stream().map(n -> KafkaTestSupport.topic(n, 1)).toList()).all()
          .get(30, TimeUnit.SECONDS);
      AclFile acls = AclFile.bundled();
      AclFile.apply(admin, acls.bindings(topics.namesByDefault(), APPLICATION_ID, acls.usersNamedAfterRoles()), Duration.ofSeconds(30));
    }
    Map<String, String> clientSettings = new LinkedHashMap<>();
    clientSettings.put("bootstrap.servers", KAFKA.bootstrapServers());
    clientSettings.put("security.protocol", "SASL_SSL");
    clientSettings.put("sasl.mechanism", ScramSecurity.MECHANISM);
    clientSettings.putAll(TLS.clientPropertiesWithoutSecrets());
    Path config = ReliabilityFixtures.serviceConfigFile(dir.resolve("client.properties"), topics, clientSettings);
    assertThat(Files.readString(config)).as("the config file holds no secret")
        .doesNotContain(TLS.truststorePassword()).doesNotContain("jaas").contains("ssl.truststore.location");

    Path alice0 = Files.write(dir.resolve("alice-0.png"), TestBundles.identityImage(1, 0));
    Path alice1 = Files.write(dir.resolve("alice-1.png"), TestBundles.identityImage(1, 1));
    Path probe = Files.write(dir.resolve("probe.png"), TestBundles.identityImage(1, 4));
    List<ServiceProcess> processes = new ArrayList<>();
    try {
      ServiceProcess enroll = tool(processes, "enroller", "enroll.log",
          "enroll", "--config", config.toString(), "--identity", "alice", "--images", alice0.toString(),
          alice1.toString());
      assertThat(enroll.awaitExit(TOOL_WAIT)).as(enroll.log()).isZero();

      Path bundle = TestBundles.write(dir.resolve("bundle"));
      ServiceProcess service = tool(processes, "service", "run.log", "run", "--model", bundle.toString(),
          "--config", config.toString(), "--application-id", APPLICATION_ID,
          "--state-dir", dir.resolve("state").toString(), "--metrics-port", "0");
      assertThat(service.awaitRunning(ReliabilityFixtures.WAIT)).as(service.log()).isTrue();
      assertThat(readAsAdmin(topics.identityTemplates().name(), 1)).as("templates written by the service")
          .hasSize(1);
      // The service's global gallery consumer reads the committed templates well within a second.
      Thread.sleep(1_000);

      ServiceProcess produce = tool(processes, "gateway", "produce.log", "produce", "--config", config.toString(),
          "--camera", "door", "--images", probe.toString(), "--claim", "alice", "--fps", "0");
      assertThat(produce.awaitExit(TOOL_WAIT)).as(produce.log()).isZero();
      ServiceProcess watch = tool(processes, "subscriber", "watch.log", "watch", "--config", config.toString(),
          "--from-beginning", "--max", "1", "--timeout", "60");
      assertThat(watch.awaitExit(TOOL_WAIT)).as(watch.log()).isZero();
      assertThat(watch.log()).as("the subscriber's view of the event").contains(" door VERIFY MATCH identity=alice");
      long roundTripMs = (System.nanoTime() - started) / 1_000_000;

      ServiceProcess gatewayReads = tool(processes, "gateway", "gateway-watch.log", "watch", "--config",
          config.toString(), "--from-beginning", "--max", "1", "--timeout", "20");
      assertThat(gatewayReads.awaitExit(TOOL_WAIT)).as("the gateway may not read match-events over TLS either")
          .isNotZero();
      assertThat(gatewayReads.log()).contains("Not authorized");

      long plaintextStart = System.nanoTime();
      Map<String, Object> plaintext = new HashMap<>(SECURITY.clientProperties("admin"));
      plaintext.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
      assertThat(describeClusterFails(plaintext)).as("a SASL_PLAINTEXT client on the TLS listener").isNotNull();
      long plaintextMs = (System.nanoTime() - plaintextStart) / 1_000_000;
      Map<String, Object> untrusting = new HashMap<>(plaintext);
      untrusting.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
      assertThat(describeClusterFails(untrusting)).as("a TLS client that does not trust the broker's CA")
          .isInstanceOf(SslAuthenticationException.class);

      List<String> secrets = new ArrayList<>(PASSWORDS.values());
      secrets.add(ADMIN_PASSWORD);
      secrets.add(TLS.truststorePassword());
      secrets.add(TLS.keystorePassword());
      String serviceLog = service.log();
      assertThat(serviceLog).as("siamese run's own settings line")
          .contains("sasl.jaas.config=[hidden]").contains("ssl.truststore.password=[hidden]");
      assertThat(serviceLog).as("Kafka's client configuration dumps at INFO")
          .contains("sasl.jaas.config = [hidden]").contains("ssl.truststore.password = [hidden]");
      int logBytes = 0;
      for (ServiceProcess process : processes) {
        String log = process.log();
        logBytes += log.length();
        for (String secret : secrets) {
          assertThat(log).as("a command's output").doesNotContain(secret);
        }
      }
      assertThat(TLS.toString() + KAFKA.broker() + KAFKA.broker().settings())
          .doesNotContain(TLS.keystorePassword()).doesNotContain(TLS.truststorePassword())
          .doesNotContain(ADMIN_PASSWORD);
      System.out.printf("RELIABILITY tls: SASL_SSL round trip enroll -> run -> produce -> watch (5 JVMs) in %.1f s;"
              + " TLS material created in %d ms; plaintext client refused after %d ms, untrusting TLS client with"
              + " %s; %d secrets absent from %d KB of output of %d commands%n",
          roundTripMs / 1000.0, TLS_CREATION_MS, plaintextMs, SslAuthenticationException.class.getSimpleName(),
          secrets.size(), logBytes / 1024, processes.size());
    } finally {
      processes.forEach(ServiceProcess::close);
    }
  }

  /** {@code siamese <args…>} in its own JVM as {@code user}: secrets in the environment, Kafka logging at INFO. */
  private ServiceProcess tool(List<ServiceProcess> processes, String user, String log, String... args) {
    Map<String, String> environment = Map.of(
        "SIAMESE_KAFKA_SSL_TRUSTSTORE_PASSWORD", TLS.truststorePassword(),
        "SIAMESE_KAFKA_SASL_JAAS_CONFIG", ScramSecurity.jaasConfig(user, PASSWORDS.get(user)),
        "JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info");
    ServiceProcess process = ServiceProcess.start(dir.resolve(log), List.of(args), environment);
    processes.add(process);
    return process;
  }

  /** The cause of a failed {@code describeCluster} with {@code config} (5 s timeouts), or null when it worked. */
  private static Throwable describeClusterFails(Map<String, Object> config) throws InterruptedException {
    Map<String, Object> bounded = new HashMap<>(config);
    bounded.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    bounded.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(bounded)) {
      admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      return e;
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readAsAdmin(String topic, int count) {
    Map<String, Object> config = new HashMap<>(KAFKA.broker().clientProperties("admin"));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("siamese-tls-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
