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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
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
 *
 * <p>The client listener is PLAINTEXT unless the settings ask for SASL/SCRAM with ACLs ({@link
 * ScramSecurity}) and/or TLS ({@link TlsMaterial}): {@link BrokerSettings#clientProtocol()}. {@link
 * #clientProperties(String)} gives what a client needs. Secrets (passwords, JAAS settings) never reach
 * a log or the temporary file that {@code kafka-storage format} reads.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /** Kafka's minimum (and default) for SCRAM-SHA-512. */
  private static final int SCRAM_ITERATIONS = 4096;

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDirectory;
  private final boolean deleteDataOnClose;
  private final BrokerSettings settings;
  private boolean closed;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDirectory,
      boolean deleteDataOnClose, BrokerSettings settings) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDirectory = dataDirectory;
    this.deleteDataOnClose = deleteDataOnClose;
    this.settings = settings;
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
      boolean formatted = formatIfNeeded(config, dataDirectory, settings.security());
      server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
      server.startup();
      String bootstrap = settings.host() + ":" + port;
      Map<String, Object> superUserClient = new HashMap<>(clientProperties(settings, bootstrap,
          settings.security() == null ? null : settings.security().superUser()));
      awaitReady(bootstrap, superUserClient);
      if (!formatted && settings.security() != null) {
        upsertScramUsers(superUserClient, settings.security());
      }
      log.info("Kafka broker ready on {} ({}; data in {})", bootstrap, settings.clientProtocol(), dataDirectory);
      return new EmbeddedKafkaBroker(server, bootstrap, dataDirectory, temporary, settings);
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
    String listener = settings.clientProtocol();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", Integer.toString(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    config.put("listeners", listener + "://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    config.put("advertised.listeners", listener + "://" + host + ":" + port);
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", listener);
    config.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
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
      putScramSecurity(config, settings.security(), listener);
    }
    if (settings.tls() != null) {
      // The broker is its own client on this listener (inter-broker): it needs the truststore too.
      config.putAll(settings.tls().brokerProperties());
    }
    config.putAll(settings.overrides());
    return config;
  }

  /**
   * SCRAM-SHA-512 on the client listener (the broker authenticates to itself as the super user), and
   * the KRaft StandardAuthorizer with the super user and the controller listener's ANONYMOUS principal
   * as super users.
   */
  private static void putScramSecurity(Map<String, String> config, ScramSecurity security, String listener) {
    config.put("sasl.enabled.mechanisms", ScramSecurity.MECHANISM);
    config.put("sasl.mechanism.inter.broker.protocol", ScramSecurity.MECHANISM);
    config.put("listener.name." + listener.toLowerCase(Locale.ROOT) + "."
            + ScramSecurity.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
        ScramSecurity.jaasConfig(security.superUser(), security.superUserPassword()));
    config.put("authorizer.class.name", ScramSecurity.AUTHORIZER);
    config.put("super.users", "User:" + security.superUser() + ";User:ANONYMOUS");
    config.put("allow.everyone.if.no.acl.found", "false");
  }

  /** {@code host:port} for clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The settings this broker was started with. */
  public BrokerSettings settings() {
    return settings;
  }

  /**
   * Everything a Java client needs to reach this broker as {@code user}: {@code bootstrap.servers},
   * {@code security.protocol}, with SCRAM security {@code sasl.mechanism} and {@code sasl.jaas.config},
   * with TLS {@code ssl.truststore.*}. Contains secrets: never log it.
   *
   * @param user a user with SCRAM credentials here; ignored (may be null) without SCRAM security
   */
  public Map<String, String> clientProperties(String user) {
    return clientProperties(settings, bootstrapServers, user);
  }

  private static Map<String, String> clientProperties(BrokerSettings settings, String bootstrap, String user) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    if (settings.security() != null) {
      properties.putAll(settings.security().clientProperties(user));
    }
    properties.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, settings.clientProtocol());
    if (settings.tls() != null) {
      properties.putAll(settings.tls().clientProperties());
    }
    return properties;
  }

  /** Bootstrap address and protocol only. */
  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers + ", " + settings.clientProtocol() + "]";
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

  /** Formats the log directory unless an earlier run did; returns whether it formatted. */
  private static boolean formatIfNeeded(Map<String, String> config, Path dataDirectory, ScramSecurity security) {
    if (Files.exists(dataDirectory.resolve("meta.properties"))) {
      return false; // formatted by an earlier run: keep its cluster id and data
    }
    // kafka-storage reads its configuration from a file; keep it next to (not inside) the log directory.
    Path propertiesFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".format.properties");
    try {
      Properties properties = new Properties();
      // Formatting needs no secret: keep passwords and JAAS settings off the disk.
      config.forEach((key, value) -> {
        // The broker's own rule: a password-typed key (listener prefixes included), or one it does not know.
        if (!KafkaConfig.maybeSensitive(KafkaConfig.configType(key))) {
          properties.put(key, value);
        }
      });
      try (OutputStream out = Files.newOutputStream(propertiesFile)) {
        properties.store(out, "written by EmbeddedKafkaBroker for kafka-storage format");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int status;
      try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        String clusterId = Uuid.randomUuid().toString();
        List<String> arguments = new ArrayList<>(
            List.of("format", "-t", clusterId, "-c", propertiesFile.toString()));
        if (security != null) {
          // SCRAM credentials go into the bootstrap metadata: they exist before the first client connects.
          security.allUsers().forEach((user, password) -> arguments.addAll(List.of("--add-scram",
              ScramSecurity.MECHANISM + "=[name=" + user + ",password=" + password + "]")));
        }
        status = StorageTool.execute(arguments.toArray(String[]::new), printStream);
      }
      String report = output.toString(StandardCharsets.UTF_8).trim();
      log.debug("kafka-storage format: {}", security == null ? report : "done");
      if (status != 0) {
        throw new IllegalStateException("kafka-storage format failed (" + status + "): "
            + (security == null ? report : "(report withheld: the arguments hold passwords)"));
      }
      return true;
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

  /**
   * Gives every non-super user of {@code security} its SCRAM credentials again on a data directory
   * formatted by an earlier run: users added to (or whose password changed in) the users file since
   * then can log in. The super user's own credentials come from the format and are not changed here.
   */
  private static void upsertScramUsers(Map<String, Object> superUserClient, ScramSecurity security) {
    if (security.users().isEmpty()) {
      return;
    }
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    security.users().forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
    try (Admin admin = Admin.create(superUserClient)) {
      admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot update the SCRAM users " + security.users().keySet() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while updating SCRAM users", e);
    }
  }

  private static void awaitReady(String bootstrap, Map<String, Object> client) {
    Map<String, Object> adminConfig = new HashMap<>(client);
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
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
