package io.siamesestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.broker.ScramSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code siamese broker} with its security options, as an operator runs it (its own JVM): users from a
 * file, the ACL file applied, TLS material in a directory the operator chose; a client configured only
 * from what the command printed and wrote connects; nothing it prints holds a password.
 */
class BrokerCommandIT {

  private static final Duration START_WAIT = Duration.ofSeconds(90);
  private static final Pattern BOOTSTRAP = Pattern.compile("(?m)^bootstrap: (\\S+)$");

  @TempDir
  Path dir;

  @Test
  void shouldRunASecuredBrokerFromOperatorFilesAndKeepItsTlsMaterialAcrossARestart() throws Exception {
    Map<String, String> passwords = new HashMap<>();
    for (String user : List.of("admin", "gateway", "enroller", "subscriber", "service")) {
      passwords.put(user, user + "-" + UUID.randomUUID());
    }
    Path users = writeUsers(passwords);
    Path acls = dir.resolve("acls.json");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("topics/acls.json")) {
      Files.copy(in, acls);
    }
    Path tls = dir.resolve("tls");
    List<String> command = List.of("broker", "--port", "0", "--data", dir.resolve("data").toString(),
        "--scram-users", users.toString(), "--acls", acls.toString(), "--tls", tls.toString());

    String truststorePassword;
    long startMs;
    try (Broker broker = Broker.start(dir, "first", command)) {
      startMs = broker.awaitReady();
      String stdout = broker.stdout();
      assertThat(stdout).contains("security: SASL_SSL, SCRAM-SHA-512")
          .contains("acls: 28 bindings from " + acls)
          .contains("truststore: " + tls.resolve("truststore.p12").toAbsolutePath())
          .contains("password in " + tls.resolve("truststore.password").toAbsolutePath())
          .contains("export SIAMESE_KAFKA_SSL_TRUSTSTORE_PASSWORD=");
      truststorePassword = Files.readString(tls.resolve("truststore.password")).trim();
      Path clientProperties = tls.resolve("client.properties");
      assertThat(Files.readString(clientProperties)).contains("security.protocol=SASL_SSL")
          .doesNotContain(truststorePassword).doesNotContainIgnoringCase("password");

      Map<String, Object> admin = client(broker.bootstrap(), clientProperties, truststorePassword, "admin",
          passwords.get("admin"));
      try (Admin client = Admin.create(admin)) {
        assertThat(client.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)).hasSize(28);
        client.createTopics(List.of(new NewTopic("frames", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      Map<String, Object> gateway = client(broker.bootstrap(), clientProperties, truststorePassword, "gateway",
          passwords.get("gateway"));
      assertThat(canWrite(gateway, "frames")).as("gateway writes frames").isTrue();
      assertThat(canRead(gateway, "frames")).as("gateway reads frames").isFalse();

      String output = broker.stdout() + broker.stderr();
      assertThat(output).as("Kafka's broker configuration dump").contains("ssl.keystore.password = [hidden]")
          .contains("ssl.truststore.password = [hidden]");
      List<String> secrets = new ArrayList<>(passwords.values());
      secrets.add(truststorePassword);
      secrets.add(Files.readString(tls.resolve("broker.password")).trim());
      for (String secret : secrets) {
        assertThat(output).as("what siamese broker printed").doesNotContain(secret);
      }
      System.out.printf("RELIABILITY broker-command: %d secrets absent from %d KB of broker output (INFO)%n",
          secrets.size(), output.length() / 1024);
      assertThat(broker.stop()).as("exit status after SIGTERM (128 + 15: the JVM ran its shutdown hooks)")
          .isEqualTo(143);
    }

    passwords.put("auditor", "auditor-" + UUID.randomUUID());
    writeUsers(passwords);
    try (Broker again = Broker.start(dir, "second", command)) {
      long restartMs = again.awaitReady();
      assertThat(Files.readString(tls.resolve("truststore.password")).trim()).as("TLS material reused")
          .isEqualTo(truststorePassword);
      Map<String, Object> auditor = client(again.bootstrap(), tls.resolve("client.properties"), truststorePassword,
          "auditor", passwords.get("auditor"));
      try (Admin client = Admin.create(auditor)) {
        assertThat(client.describeCluster().nodes().get(30, TimeUnit.SECONDS)).as("a user added on restart logs in")
            .hasSize(1);
      }
      System.out.printf("RELIABILITY broker-command: secured broker (SASL_SSL, 28 ACL bindings) ready in %d ms,"
          + " restarted on the same data in %d ms with its TLS material reused and a new user%n", startMs, restartMs);
    }
  }

  @Test
  void shouldRefuseInconsistentSecurityOptionsBeforeStartingABroker() throws Exception {
    Path users = Files.writeString(dir.resolve("users.properties"), "gateway=gw-secret-1\n");

    assertThat(run("broker", "--acls", "acls.json")).startsWith("2:").contains("--acls needs --scram-users");
    assertThat(run("broker", "--scram-users", users.toString())).startsWith("2:")
        .contains("no line for the super user admin").doesNotContain("gw-secret-1");
    Path withAdmin = Files.writeString(dir.resolve("admin.properties"), "admin=admin-secret-1\n");
    assertThat(run("broker", "--scram-users", withAdmin.toString(), "--acls",
        dir.resolve("nope.json").toString())).startsWith("2:").contains("nope.json");
  }

  private Path writeUsers(Map<String, String> passwords) throws IOException {
    Properties properties = new Properties();
    properties.putAll(passwords);
    Path file = dir.resolve("users.properties");
    try (var out = Files.newOutputStream(file)) {
      properties.store(out, "test users");
    }
    return file;
  }

  /** Status and stderr of an in-process {@code siamese} run that must end before a broker starts. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = SiameseCli.newCommandLine();
    commandLine.setErr(new PrintWriter(err, true));
    int status = commandLine.execute(args);
    return status + ":" + err;
  }

  /** Client settings as an operator assembles them: client.properties, then the secrets. */
  private static Map<String, Object> client(String bootstrap, Path clientProperties, String truststorePassword,
      String user, String password) throws IOException {
    Properties file = new Properties();
    try (var in = Files.newInputStream(clientProperties)) {
      file.load(in);
    }
    Map<String, Object> config = new HashMap<>();
    file.stringPropertyNames().forEach(key -> config.put(key, file.getProperty(key)));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put("ssl.truststore.password", truststorePassword);
    config.put("sasl.jaas.config", ScramSecurity.jaasConfig(user, password));
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return config;
  }

  private static boolean canWrite(Map<String, Object> client, String topic) throws Exception {
    Map<String, Object> config = new HashMap<>(client);
    config.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    config.remove(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) {
        return false;
      }
      throw e;
    }
  }

  private static boolean canRead(Map<String, Object> client, String topic) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
          return true;
        }
      }
      return true;
    } catch (TopicAuthorizationException e) {
      return false;
    }
  }

  /** {@code siamese broker …} in its own JVM, stdout and stderr in files. */
  private record Broker(Process process, Path stdoutFile, Path stderrFile) implements AutoCloseable {

    static Broker start(Path dir, String name, List<String> args) throws IOException {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
          // The broker's and clients' configuration dumps (INFO) are part of what must hold no secret.
          "-Dorg.slf4j.simpleLogger.log.kafka=info", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
          "-cp", System.getProperty("java.class.path"), SiameseCli.class.getName()));
      command.addAll(args);
      Path out = dir.resolve(name + ".out");
      Path err = dir.resolve(name + ".err");
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      return new Broker(process, out, err);
    }

    /** Waits for the "Ctrl-C stops the broker." line; returns the milliseconds it took. */
    long awaitReady() throws InterruptedException, IOException {
      long start = System.nanoTime();
      long deadline = start + START_WAIT.toNanos();
      while (!stdout().contains("Ctrl-C stops the broker.")) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("siamese broker did not start: " + stdout() + stderr());
        }
        Thread.sleep(50);
      }
      return (System.nanoTime() - start) / 1_000_000;
    }

    String bootstrap() throws IOException {
      Matcher matcher = BOOTSTRAP.matcher(stdout());
      if (!matcher.find()) {
        throw new AssertionError("no bootstrap line in " + stdout());
      }
      return matcher.group(1);
    }

    String stdout() throws IOException {
      return Files.readString(stdoutFile, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    /** SIGTERM, bounded wait; the exit status. */
    int stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return -1;
      }
      return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        stop();
      }
    }
  }
}
