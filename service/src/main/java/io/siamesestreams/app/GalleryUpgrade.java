package io.siamesestreams.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.siamesestreams.records.JsonSerde;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embedding of the gallery when the service starts with another model than the one that
 * embedded it, decided before Kafka Streams starts.
 *
 * <p>The gallery ({@code identity-templates}) is derived from the enrolments ({@code identities}) by
 * the service's enroller, which consumes {@code identities} in the application's consumer group. A
 * template is only ever compared with frames of the model (id and version) that produced it, so a
 * new model needs every enrolment embedded again. {@link #prepare} does what an operator would
 * otherwise do by hand: when some identity's latest templates on {@code identity-templates} come
 * from another model, it moves the group's committed offsets on {@code identities} back to the
 * earliest offsets. The enroller then re-reads every enrolment (the topic is compacted: each
 * identity's latest image set, and tombstones) and overwrites each identity's templates with the
 * new model's; until an identity is re-embedded, claims of it are {@code UNKNOWN_IDENTITY}. The
 * offsets on {@code frames} are not touched.
 *
 * <p>Kafka only lets an offset be changed while the group has no members. So:
 *
 * <ul>
 *   <li>no committed offset on {@code identities} (a new group): nothing to do, the enroller reads
 *       from the beginning anyway ({@link Outcome#NEW_GROUP});
 *   <li>every live template from this model: nothing to do ({@link Outcome#UP_TO_DATE});
 *   <li>another instance of this model is a member (its client id carries {@link #clientIdTag}):
 *       it found the same gallery when it started and has rewound, or is continuing a re-embedding
 *       that was interrupted; this instance joins it ({@link Outcome#IN_PROGRESS});
 *   <li>otherwise the group is waited for until it is empty (a crashed instance stays a member
 *       until its session times out), then rewound ({@link Outcome#REWOUND}); if members of other
 *       models are still there after {@code memberWait}, start-up fails with
 *       {@link GalleryUpgradeException}: two models must not share the group.
 * </ul>
 */
public final class GalleryUpgrade {

  private static final Logger log = LoggerFactory.getLogger(GalleryUpgrade.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(10);

  /** What {@link #prepare} found and did. */
  public enum Outcome {
    /** The group has no committed offset on {@code identities}; the enroller starts at the beginning. */
    NEW_GROUP,
    /** Every live template was produced by the loaded model. */
    UP_TO_DATE,
    /** Templates of other models exist and the group's offsets on {@code identities} were rewound. */
    REWOUND,
    /** Templates of other models exist and an instance of the loaded model is already re-embedding. */
    IN_PROGRESS
  }

  /**
   * The result of {@link #prepare}.
   *
   * @param outcome what was found and done
   * @param identitiesByModel identities by {@code modelId:modelVersion} of their latest templates
   *     record that was read: every live identity on a full read, only those written since the last
   *     check when {@code sinceLastCheck} (empty for {@link Outcome#NEW_GROUP}, which does not read)
   * @param scan time spent reading {@code identity-templates}
   * @param rewound the partitions of {@code identities} that were rewound, with the committed offset
   *     each had before (empty unless {@link Outcome#REWOUND})
   * @param sinceLastCheck whether only the records after the last check's offsets were read (see
   *     {@link #prepare(Map, String, String, String, String, Duration, Path)})
   */
  public record Result(Outcome outcome, Map<String, Integer> identitiesByModel, Duration scan,
      Map<TopicPartition, Long> rewound, boolean sinceLastCheck) {

    /** Identities read whose templates come from another model than {@code modelKey}. */
    public int otherModelIdentities(String modelKey) {
      return identitiesByModel.entrySet().stream().filter(e -> !e.getKey().equals(modelKey))
          .mapToInt(Map.Entry::getValue).sum();
    }
  }

  /** Start-up refused: instances of another model are still members of the application's group. */
  public static final class GalleryUpgradeException extends RuntimeException {
    GalleryUpgradeException(String message) {
      super(message);
    }

    GalleryUpgradeException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private GalleryUpgrade() {}

  /** {@code modelId:modelVersion}, the key of {@link Result#identitiesByModel()}. */
  public static String modelKey(String modelId, String modelVersion) {
    return modelId + ":" + modelVersion;
  }

  /**
   * The part of the Kafka Streams {@code client.id} that names the model (letters, digits, dots,
   * dashes and underscores only), so that other instances can tell which model a group member runs.
   */
  public static String clientIdTag(String modelId, String modelVersion) {
    return ("model-" + modelId + "-v" + modelVersion).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Checks the gallery against the loaded model and rewinds the enrolments when it was embedded by
   * another one (see the class comment). Call before Kafka Streams starts.
   *
   * @param streamsProperties the Kafka Streams configuration the service will run with (bootstrap
   *     servers, application id, security settings)
   * @param identitiesTopic the enrolment topic
   * @param templatesTopic the derived templates topic
   * @param memberWait how long to wait for members of other models to leave the group
   * @throws GalleryUpgradeException when members of another model are still in the group after
   *     {@code memberWait}, or the broker cannot be asked
   */
  public static Result prepare(Map<String, Object> streamsProperties, String identitiesTopic, String templatesTopic,
      String modelId, String modelVersion, Duration memberWait) {
    return prepare(streamsProperties, identitiesTopic, templatesTopic, modelId, modelVersion, memberWait, null);
  }

  /**
   * As above, remembering the check in {@code checkpointFile} (the service keeps it beside its state
   * directory): when every live template was this model's, the end offsets that were read are
   * written there, and the next check with the same model reads only the records after them (every
   * identity before them was this model's; a later record of an identity supersedes it). Without
   * the file, for another model or topic, or when the topic's offsets went backwards (recreated), the
   * whole topic is read. At 10^5 identities a whole read takes seconds.
   *
   * @param checkpointFile where the last check is kept; null reads the whole topic every time
   */
  public static Result prepare(Map<String, Object> streamsProperties, String identitiesTopic, String templatesTopic,
      String modelId, String modelVersion, Duration memberWait, Path checkpointFile) {
    StreamsConfig config = new StreamsConfig(streamsProperties);
    try (Admin admin = Admin.create(config.getAdminConfigs(
        config.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-gallery-upgrade"))) {
      return prepare(admin, config, identitiesTopic, templatesTopic, modelId, modelVersion, memberWait, checkpointFile);
    }
  }

  /** As above with the caller's admin client (the service's start-up uses one for all its checks). */
  static Result prepare(Admin admin, StreamsConfig config, String identitiesTopic, String templatesTopic,
      String modelId, String modelVersion, Duration memberWait, Path checkpointFile) {
    String applicationId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
    String clientId = applicationId + "-gallery-upgrade";
    String modelKey = modelKey(modelId, modelVersion);
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin, applicationId, identitiesTopic);
      if (committed.isEmpty()) {
        log.info("gallery upgrade: group {} has no committed offset on {}: the enroller reads every enrolment",
            applicationId, identitiesTopic);
        return new Result(Outcome.NEW_GROUP, Map.of(), Duration.ZERO, Map.of(), false);
      }
      Map<Integer, Long> lastCheck = Checkpoint.read(checkpointFile, modelKey, templatesTopic);
      long scanStart = System.nanoTime();
      Scan read = latestModels(config, clientId, templatesTopic, lastCheck);
      Map<String, Integer> byModel = read.identitiesByModel();
      Duration scan = Duration.ofNanos(System.nanoTime() - scanStart);
      boolean sinceLastCheck = read.sinceLastCheck();
      Result upToDate = new Result(Outcome.UP_TO_DATE, byModel, scan, Map.of(), sinceLastCheck);
      int others = upToDate.otherModelIdentities(modelKey);
      if (others == 0) {
        log.info("gallery upgrade: {} identities {}on {}, all embedded by {} (read in {} ms)",
            byModel.getOrDefault(modelKey, 0), sinceLastCheck ? "written since the last check " : "",
            templatesTopic, modelKey, scan.toMillis());
        Checkpoint.write(checkpointFile, modelKey, templatesTopic, read.endOffsets());
        return upToDate;
      }
      Checkpoint.delete(checkpointFile);
      log.info("gallery upgrade: {} of {} identities on {} were embedded by another model ({}), this instance "
              + "runs {}: re-embedding every enrolment", others, others + byModel.getOrDefault(modelKey, 0),
          templatesTopic, byModel, modelKey);
      String tag = clientIdTag(modelId, modelVersion);
      long deadline = System.nanoTime() + memberWait.toNanos();
      long nextLog = 0;
      while (true) {
        List<String> members = memberClientIds(admin, applicationId);
        if (members.stream().anyMatch(member -> member.contains(tag))) {
          log.info("gallery upgrade: an instance of {} is already a member of group {} ({}): it re-embeds, "
              + "this instance joins it", modelKey, applicationId, members);
          return new Result(Outcome.IN_PROGRESS, byModel, scan, Map.of(), sinceLastCheck);
        }
        if (members.isEmpty()) {
          Map<TopicPartition, Long> rewound = rewind(admin, applicationId, identitiesTopic, committed);
          if (rewound != null) {
            log.info("gallery upgrade: offsets of group {} on {} rewound to the beginning (were {})",
                applicationId, identitiesTopic, rewound);
            return new Result(Outcome.REWOUND, byModel, scan, rewound, sinceLastCheck);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new GalleryUpgradeException("model upgrade: " + others + " identities were embedded by another model "
              + byModel + " and group " + applicationId + " still has members that do not run " + modelKey
              + " after " + memberWait.toSeconds() + " s: " + members + ". Stop every instance of the other model, "
              + "then start this one: it re-embeds the gallery by itself.");
        }
        if (System.nanoTime() >= nextLog) {
          log.info("gallery upgrade: waiting for group {} to have no members before rewinding {} (members: {}; "
              + "a stopped instance stays a member until its session times out)", applicationId, identitiesTopic,
              members);
          nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        }
        sleep(Duration.ofSeconds(1));
      }
    } catch (KafkaException e) {
      throw new GalleryUpgradeException("model upgrade check failed: " + e.getMessage(), e);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Admin admin, String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> all = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
        "list the committed offsets of group " + group);
    Map<TopicPartition, OffsetAndMetadata> onTopic = new HashMap<>();
    if (all == null) {
      return onTopic;
    }
    all.forEach((tp, offset) -> {
      if (tp.topic().equals(topic) && offset != null) {
        onTopic.put(tp, offset);
      }
    });
    return onTopic;
  }

  /** Client ids of the group's members, sorted; empty when the group does not exist. */
  private static List<String> memberClientIds(Admin admin, String group) {
    ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of(group)).describedGroups()
        .get(group), "describe group " + group);
    return description == null ? List.of()
        : description.members().stream().map(MemberDescription::clientId).sorted().collect(Collectors.toList());
  }

  /** The previous committed offsets of the rewound partitions, or null when the group was no longer empty. */
  private static Map<TopicPartition, Long> rewind(Admin admin, String group, String topic,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
    committed.keySet().forEach(tp -> earliestSpec.put(tp, OffsetSpec.earliest()));
    Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
    get(admin.listOffsets(earliestSpec).all(), "list the earliest offsets of " + topic)
        .forEach((tp, info) -> target.put(tp, new OffsetAndMetadata(info.offset())));
    try {
      admin.alterConsumerGroupOffsets(group, target).all().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // A member joined between the check and the change (the broker refuses offsets of a non-empty group).
      log.info("gallery upgrade: rewinding group {} refused ({}); checking its members again", group,
          e.getCause().toString());
      return null;
    } catch (TimeoutException e) {
      throw new GalleryUpgradeException("model upgrade: no answer rewinding group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GalleryUpgradeException("interrupted", e);
    }
    Map<TopicPartition, Long> previous = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
    committed.forEach((tp, offset) -> previous.put(tp, offset.offset()));
    return previous;
  }

  /** What {@link #latestModels} read: counts by model, the offsets it read to, and from where. */
  record Scan(Map<String, Integer> identitiesByModel, Map<Integer, Long> endOffsets, boolean sinceLastCheck) {}

  /**
   * Reads {@code topic} to its last committed record, from {@code from} (partition → offset; null or
   * unusable: from the beginning), and counts each key's latest value by model; tombstones remove
   * the key. Only the {@code modelId} and {@code modelVersion} fields are read, the templates
   * themselves are skipped.
   */
  static Scan latestModels(StreamsConfig config, String clientId, String topic, Map<Integer, Long> from) {
    Map<String, Object> consumerConfig = new HashMap<>(config.getGlobalConsumerConfigs(clientId));
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-templates");
    Map<String, String> modelByIdentity = new HashMap<>();
    Map<Integer, Long> endOffsets = new TreeMap<>();
    boolean sinceLastCheck;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, REQUEST_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new GalleryUpgradeException("model upgrade: topic " + topic + " does not exist");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, REQUEST_TIMEOUT);
      end.forEach((tp, offset) -> endOffsets.put(tp.partition(), offset));
      // Offsets beyond today's end mean the topic was recreated since the last check: read it all.
      sinceLastCheck = from != null && from.entrySet().stream()
          .allMatch(e -> endOffsets.containsKey(e.getKey()) && e.getValue() <= endOffsets.get(e.getKey()));
      consumer.seekToBeginning(partitions);
      if (sinceLastCheck) {
        from.forEach((partition, offset) -> consumer.seek(new TopicPartition(topic, partition), offset));
      }
      long deadline = System.nanoTime() + SCAN_TIMEOUT.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new GalleryUpgradeException("model upgrade: could not read " + topic + " to its end within "
              + SCAN_TIMEOUT.toMinutes() + " min");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null) {
            continue;
          }
          if (record.value() == null) {
            modelByIdentity.remove(record.key());
          } else {
            modelByIdentity.put(record.key(), modelOf(record.value()));
          }
        }
      }
    }
    Map<String, Integer> counts = new TreeMap<>();
    modelByIdentity.values().forEach(model -> counts.merge(model, 1, Integer::sum));
    return new Scan(counts, endOffsets, sinceLastCheck);
  }

  /**
   * The last check that found every live template from one model: a properties file with
   * {@code model}, {@code topic} and {@code offset.<partition>} (the end offsets it read to).
   */
  static final class Checkpoint {
    private Checkpoint() {}

    /** The offsets of a check of {@code modelKey} on {@code topic}, or null (no file, another model or topic, unreadable). */
    static Map<Integer, Long> read(Path file, String modelKey, String topic) {
      if (file == null || !Files.isRegularFile(file)) {
        return null;
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
        if (!modelKey.equals(properties.getProperty("model")) || !topic.equals(properties.getProperty("topic"))) {
          return null;
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
          if (name.startsWith("offset.")) {
            offsets.put(Integer.parseInt(name.substring("offset.".length())),
                Long.parseLong(properties.getProperty(name)));
          }
        }
        return offsets.isEmpty() ? null : offsets;
      } catch (IOException | NumberFormatException e) {
        log.warn("gallery upgrade: ignoring unreadable {} ({})", file, e.toString());
        return null;
      }
    }

    static void write(Path file, String modelKey, String topic, Map<Integer, Long> endOffsets) {
      if (file == null) {
        return;
      }
      Properties properties = new Properties();
      properties.setProperty("model", modelKey);
      properties.setProperty("topic", topic);
      endOffsets.forEach((partition, offset) -> properties.setProperty("offset." + partition, offset.toString()));
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
          properties.store(writer, "last gallery model check (app.GalleryUpgrade)");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        log.warn("gallery upgrade: could not write {} ({}); the next start reads the whole topic", file, e.toString());
      }
    }

    static void delete(Path file) {
      if (file == null) {
        return;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    }
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), REQUEST_TIMEOUT) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** {@code modelId:modelVersion} of a templates record, or {@code "unreadable"}. */
  static String modelOf(byte[] templatesJson) {
    String modelId = null;
    String modelVersion = null;
    try (JsonParser parser = JsonSerde.mapper().getFactory().createParser(templatesJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "unreadable";
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("modelId".equals(field) && value == JsonToken.VALUE_STRING) {
          modelId = parser.getText();
        } else if ("modelVersion".equals(field) && value == JsonToken.VALUE_STRING) {
          modelVersion = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return "unreadable";
    }
    return modelId == null || modelVersion == null ? "unreadable" : modelKey(modelId, modelVersion);
  }

  /** The future's value; null when the group it asks about does not exist. */
  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return null;
      }
      throw new GalleryUpgradeException("model upgrade: cannot " + what + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new GalleryUpgradeException("model upgrade: no answer to " + what + " within "
          + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GalleryUpgradeException("interrupted", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GalleryUpgradeException("interrupted while waiting for the group", null);
    }
  }
}
