package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.broker.AclFile;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.ScramSecurity;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7 of docs/RELIABILITY.md: the embedded broker with SASL/SCRAM-SHA-512 and the KRaft
 * StandardAuthorizer, the ACL set of {@code topics/acls.json} applied as it stands, and {@code siamese
 * run} in its own JVM authenticating as the service principal with its JAAS secret from the
 * environment ({@code SIAMESE_KAFKA_SASL_JAAS_CONFIG}) and the rest from {@code --config}. A frame from
 * the gateway becomes an event the subscriber reads; each principal is refused what its role does
 * not list; no password appears in the service's log.
 */
class SecurityIT {

  private static final ScramSecurity SECURITY = ReliabilityFixtures.randomRoleCredentials();
  private static final String ADMIN_PASSWORD = SECURITY.superUserPassword();
  private static final Map<String, String> PASSWORDS = SECURITY.users();

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(BrokerSettings.ephemeral().withScramSecurity(SECURITY));

  private static final String APPLICATION_ID = "secure-app";

  @TempDir
  Path dir;

  private static Map<String, Object> client(String user) {
    Map<String, Object> config = new HashMap<>(SECURITY.clientProperties(user));
    config.put("bootstrap.servers", KAFKA.bootstrapServers());
    return config;
  }

  @Test
  void shouldLetEachPrincipalDoExactlyWhatItsRoleListsAndKeepSecretsOutOfLogs() throws Exception {
    Topics topics = Topics.prefixed("secure-");
    Map<String, String> users = Map.of("gateway", "gateway", "enroller", "enroller", "subscriber", "subscriber",
        "service", "service");
    try (Admin admin = Admin.create(client("admin"))) {
      admin.createTopics(topics.names().stream().map(n -> KafkaTestSupport.topic(n, 1)).toList()).all()
          .get(30, TimeUnit.SECONDS);
      AclFile.apply(admin, AclFile.bundled().bindings(topics.namesByDefault(), APPLICATION_ID, users), Duration.ofSeconds(30));
    }
    assertThat(canWrite("enroller", topics.identities().name(), ReliabilityFixtures.enrolment(topics, "alice", 1)
        .value(), "alice")).as("enroller writes identities").isTrue();

    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Map<String, String> securityWithoutSecret = new HashMap<>(SECURITY.clientProperties("service"));
    securityWithoutSecret.remove("sasl.jaas.config");
    Path config = ReliabilityFixtures.serviceConfigFile(dir.resolve("service.properties"), topics,
        securityWithoutSecret);
    Map<String, String> environment = Map.of("SIAMESE_KAFKA_SASL_JAAS_CONFIG",
        ScramSecurity.jaasConfig("service", PASSWORDS.get("service")));
    try (ServiceProcess service = ServiceProcess.start(dir.resolve("run.log"), List.of("run", "--bootstrap",
        KAFKA.bootstrapServers(), "--model", bundle.toString(), "--config", config.toString(),
        "--application-id", APPLICATION_ID, "--state-dir", dir.resolve("state").toString(),
        "--metrics-port", "0"), environment)) {
      assertThat(service.awaitRunning(ReliabilityFixtures.WAIT)).as(service.log()).isTrue();
      assertThat(read("admin", topics.identityTemplates().name(), new ByteArrayDeserializer(), 1))
          .as("templates written by the service").hasSize(1);
      // The service's global gallery consumer reads the committed templates well within a second.
      Thread.sleep(1_000);

      byte[] frame = ReliabilityFixtures.frame(topics, "secure-1", "door", 1, 4, "alice").value();
      assertThat(canWrite("gateway", topics.frames().name(), frame, "door")).as("gateway writes frames").isTrue();
      List<ConsumerRecord<String, MatchEvent>> events = read("subscriber", topics.matchEvents().name(),
          Topics.MATCH_EVENT_SERDE.deserializer(), 1);
      assertThat(events).as("the subscriber reads the event").singleElement()
          .satisfies(e -> assertThat(e.value().decision()).isEqualTo(Decision.MATCH));

      Map<String, Boolean> refused = new java.util.LinkedHashMap<>();
      refused.put("gateway reads match-events", !canRead("gateway", topics.matchEvents().name()));
      refused.put("gateway reads identities", !canRead("gateway", topics.identities().name()));
      refused.put("gateway reads identity-templates", !canRead("gateway", topics.identityTemplates().name()));
      refused.put("gateway reads frames", !canRead("gateway", topics.frames().name()));
      refused.put("gateway writes match-events", !canWrite("gateway", topics.matchEvents().name(), frame, "x"));
      refused.put("gateway writes identities", !canWrite("gateway", topics.identities().name(), frame, "x"));
      refused.put("subscriber reads frames", !canRead("subscriber", topics.frames().name()));
      refused.put("subscriber reads identities", !canRead("subscriber", topics.identities().name()));
      refused.put("subscriber reads identity-templates", !canRead("subscriber", topics.identityTemplates().name()));
      refused.put("subscriber reads frames-dlq", !canRead("subscriber", topics.framesDlq().name()));
      refused.put("subscriber writes match-events", !canWrite("subscriber", topics.matchEvents().name(), frame, "x"));
      refused.put("enroller reads identities", !canRead("enroller", topics.identities().name()));
      refused.put("service writes frames", !canWrite("service", topics.frames().name(), frame, "x"));
      refused.put("service reads match-events", !canRead("service", topics.matchEvents().name()));
      refused.put("service reads frames-dlq", !canRead("service", topics.framesDlq().name()));
      System.out.printf("RELIABILITY security: %d ACL checks refused as documented: %s%n",
          refused.values().stream().filter(b -> b).count(), refused);
      assertThat(refused).as("operations outside each role").allSatisfy((what, denied) ->
          assertThat(denied).as(what).isTrue());

      String log = service.log();
      assertThat(log).contains("sasl.jaas.config");
      for (String secret : new ArrayList<>(PASSWORDS.values())) {
        assertThat(log).as("the service log").doesNotContain(secret);
      }
      assertThat(log).doesNotContain(ADMIN_PASSWORD);
      assertThat(KAFKA.broker().toString() + SECURITY + BrokerSettings.ephemeral().withScramSecurity(SECURITY))
          .doesNotContain(ADMIN_PASSWORD).doesNotContain(PASSWORDS.get("service"));
    }
  }

  /** Sends one record as {@code user}; false when the broker refuses it for lack of authorisation. */
  private static boolean canWrite(String user, String topic, byte[] value, String key) throws Exception {
    Map<String, Object> config = client(user);
    config.putAll(KafkaTestSupport.producerConfig(KAFKA.bootstrapServers()));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | KafkaException e) {
      // The refusal comes back from the send's future, or is thrown by send() itself once the
      // producer's id request was refused (the producer is then in an error state); either way an
      // AuthorizationException is somewhere in the chain.
      if (refusedForAuthorisation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean refusedForAuthorisation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthorizationException) {
        return true;
      }
    }
    return false;
  }

  /** Reads {@code topic} from the beginning as {@code user} for a few seconds; false when refused. */
  private static boolean canRead(String user, String topic) {
    try {
      read(user, topic, new ByteArrayDeserializer(), 1);
      return true;
    } catch (AuthorizationException e) {
      return false;
    }
  }

  /** Up to {@code count} records of partition 0 of {@code topic}, read_committed, within 30 s, as {@code user}. */
  private static <V> List<ConsumerRecord<String, V>> read(String user, String topic, Deserializer<V> values,
      int count) {
    Map<String, Object> config = client(user);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    List<ConsumerRecord<String, V>> received = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
