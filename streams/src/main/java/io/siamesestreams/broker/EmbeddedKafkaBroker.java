package io.siamesestreams.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM
 * from Kafka's own broker classes. Used by {@code ./siamese broker}, the demo and the integration
 * tests; it is a real broker that any Kafka client can reach on {@link #bootstrapServers()}.
 *
 * <p>Start-up formats the log directory with {@link StorageTool} (unless it is already formatted) and
 * then starts a {@link KafkaRaftServer}; it returns once the broker answers an Admin {@code
 * describeCluster}. Typical start-up is 5–7 s on two cores; {@link #close()} takes about a second.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDirectory;
  private final boolean deleteDataOnClose;
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, String bootstrapServers, Path dataDirectory, boolean deleteDataOnClose) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDirectory = dataDirectory;
    this.deleteDataOnClose = deleteDataOnClose;
  }

  /** Starts a broker and waits until it accepts clients. */
  public static EmbeddedKafkaBroker start(BrokerSettings settings) {
    boolean temporary = settings.dataDirectory() == null;
    Path dataDirectory;
    try {
      dataDirectory =
          temporary
              ? Files.createTempDirectory("siamese-kafka-")
              : Files.createDirectories(settings.dataDirectory().toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker data directory", e);
    }
    int port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
    int controllerPort =
        settings.controllerPort() == 0 ? freePort(settings.host()) : settings.controllerPort();
    Map<String, String> config = brokerConfig(settings, port, controllerPort, dataDirectory);
    KafkaRaftServer server = null;
    try {
      formatIfNeeded(config, dataDirectory, settings.security());
      server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
      server.startup();
      String bootstrap = settings.host() + ":" + port;
      awaitReady(bootstrap, settings.security());
      log.info("Kafka broker ready on {} (data in {})", bootstrap, dataDirectory);
      return new EmbeddedKafkaBroker(server, bootstrap, dataDirectory, temporary);
    } catch (RuntimeException e) {
      if (server != null) {
        shutdownQuietly(server);
      }
      if (temporary) {
        deleteRecursively(dataDirectory);
      }
      throw e;
    }
  }

  /**
   * The complete broker configuration: single-node KRaft defaults, then {@link
   * BrokerSettings#overrides()}.
   *
   * <p>Replication factor 1 and min ISR 1 for the internal topics (offsets, transaction state, share
   * coordinator), no initial rebalance delay, a 2 MiB log-cleaner dedupe buffer (the default takes
   * 128 MiB of heap at start), and no automatic topic creation: topics come from {@code topics/}.
   */
  public static Map<String, String> brokerConfig(
      BrokerSettings settings, int port, int controllerPort, Path dataDirectory) {
    String host = settings.host();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", Integer.toString(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    config.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("log.dirs", dataDirectory.toString());
    config.put("offsets.topic.replication.factor", "1");
    config.put("offsets.topic.num.partitions", "5");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("transaction.state.log.num.partitions", "5");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("log.cleaner.dedupe.buffer.size", "2097152");
    config.put("auto.create.topics.enable", "false");
    config.put("num.partitions", "1");
    config.put("default.replication.factor", "1");
    if (settings.security() != null) {
      putScramSecurity(config, settings.security(), host, port, controllerPort);
    }
    config.putAll(settings.overrides());
    return config;
  }

  /**
   * The client listener as SASL_PLAINTEXT with SCRAM-SHA-512 (the broker authenticates to itself as
   * the super user), and the KRaft StandardAuthorizer with the super user and the controller
   * listener's ANONYMOUS principal as super users.
   */
  private static void putScramSecurity(Map<String, String> config, ScramSecurity security, String host, int port,
      int controllerPort) {
    config.put("listeners", "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    config.put("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port);
    config.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    config.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("sasl.enabled.mechanisms", ScramSecurity.MECHANISM);
    config.put("sasl.mechanism.inter.broker.protocol", ScramSecurity.MECHANISM);
    config.put("listener.name.sasl_plaintext." + ScramSecurity.MECHANISM.toLowerCase() + ".sasl.jaas.config",
        ScramSecurity.jaasConfig(security.superUser(), security.superUserPassword()));
    config.put("authorizer.class.name", ScramSecurity.AUTHORIZER);
    config.put("super.users", "User:" + security.superUser() + ";User:ANONYMOUS");
    config.put("allow.everyone.if.no.acl.found", "false");
  }

  /** {@code host:port} for clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's log directory. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Blocks until the broker has shut down (for {@code ./siamese broker}, which runs until Ctrl-C). */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  /** Stops the broker; deletes the data directory when it was a temporary one. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdownQuietly(server);
    if (deleteDataOnClose) {
      deleteRecursively(dataDirectory);
    }
    log.info("Kafka broker on {} stopped", bootstrapServers);
  }

  private static void formatIfNeeded(Map<String, String> config, Path dataDirectory, ScramSecurity security) {
    if (Files.exists(dataDirectory.resolve("meta.properties"))) {
      return; // formatted by an earlier run: keep its cluster id and data
    }
    // kafka-storage reads its configuration from a file; keep it next to (not inside) the log directory.
    Path propertiesFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".format.properties");
    try {
      Properties properties = new Properties();
      properties.putAll(config);
      try (OutputStream out = Files.newOutputStream(propertiesFile)) {
        properties.store(out, "written by EmbeddedKafkaBroker for kafka-storage format");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int status;
      try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        String clusterId = Uuid.randomUuid().toString();
        java.util.List<String> arguments = new java.util.ArrayList<>(
            java.util.List.of("format", "-t", clusterId, "-c", propertiesFile.toString()));
        if (security != null) {
          // SCRAM credentials go into the bootstrap metadata: they exist before the first client connects.
          security.allUsers().forEach((user, password) -> arguments.addAll(java.util.List.of("--add-scram",
              ScramSecurity.MECHANISM + "=[name=" + user + ",password=" + password + "]")));
        }
        status = StorageTool.execute(arguments.toArray(String[]::new), printStream);
      }
      String report = output.toString(StandardCharsets.UTF_8).trim();
      log.debug("kafka-storage format: {}", security == null ? report : "done");
      if (status != 0) {
        throw new IllegalStateException("kafka-storage format failed (" + status + "): " + report);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + propertiesFile, e);
    } finally {
      try {
        Files.deleteIfExists(propertiesFile);
      } catch (IOException ignored) {
        // a leftover temporary properties file is harmless
      }
    }
  }

  private static void awaitReady(String bootstrap, ScramSecurity security) {
    Map<String, Object> adminConfig = new java.util.HashMap<>(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    if (security != null) {
      adminConfig.putAll(security.clientProperties(security.superUser()));
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(adminConfig)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("broker on " + bootstrap + " did not become ready", e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("error while stopping the Kafka broker", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}", directory, e);
    }
  }
}
