package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.testing.Dashboards;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure deletes the bytes (docs/RELIABILITY.md, "Erasure"): with the shipped topic definitions
 * ({@code topics/*.json}, applied by {@code topics apply}), a broker with Kafka's defaults and the
 * service with its defaults, an identity is enrolled with images that carry a unique byte pattern
 * (a PNG text chunk), then erased. Within the documented bound: (a) no consumer reading {@code
 * identities} or {@code identity-templates} from the beginning gets a record with a value for that
 * key, and (b) neither the pattern (raw or as the base64 the enrolment carries) nor the identity's
 * serialized templates nor the thumbnail they carry occur in any file under the broker's log directory
 * or the service's state directory. Before the erasure both are checked to be present in the broker's files, so the search
 * can fail.
 */
class ErasureBytesIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** The bound documented in docs/RELIABILITY.md for the shipped settings. */
  private static final Duration BOUND = Duration.ofMinutes(5);
  private static final String ERASED = "erin";

  @TempDir
  Path dir;

  @Test
  void shouldRemoveAnErasedIdentitysImagesAndTemplatesFromEveryTopicAndFileWithinTheBound() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = Topics.prefixed("bytes-");
    TopicCatalog shipped = TopicCatalog.load(Dashboards.REPOSITORY.resolve("topics")).renamed(topics);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertThat(TopicsApplier.allConsistent(new TopicsApplier(admin, Duration.ofSeconds(30)).apply(shipped.specs())))
          .isTrue();
    }
    Path stateDir = dir.resolve("state");
    ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap,
            ServiceConfig.MODEL_DIR, TestBundles.write(dir.resolve("bundle")), ServiceConfig.APPLICATION_ID, "bytes-app",
            ServiceConfig.STATE_DIR, stateDir, ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, 1))
        .with(topics.settings());
    String pattern = "ERASE-ME-" + UUID.randomUUID();
    byte[] image0 = withTextChunk(TestBundles.identityImage(4, 0), pattern);
    byte[] image1 = withTextChunk(TestBundles.identityImage(4, 1), pattern);
    List<byte[]> needles = new ArrayList<>(List.of(pattern.getBytes(StandardCharsets.US_ASCII),
        base64Around(image0, pattern), base64Around(image1, pattern)));

    try (SiameseService service = SiameseService.start(settings)) {
      service.awaitRunning(ReliabilityFixtures.WAIT);
      IdentityEnrollment enrollment = new IdentityEnrollment(ERASED, "Erin",
          List.of(Base64.getEncoder().encodeToString(image0), Base64.getEncoder().encodeToString(image1)));
      KafkaTestSupport.produce(bootstrap, List.of(
          new ProducerRecord<>(topics.identities().name(), ERASED, Topics.ENROLLMENT_SERDE.toBytes(enrollment)),
          ReliabilityFixtures.enrolment(topics, "bob", 2)));
      Waits.until(ReliabilityFixtures.WAIT, "gallery holds erin and bob", () -> service.gallerySize() == 2);
      List<ConsumerRecord<String, byte[]>> templates = valuesOf(bootstrap, topics.identityTemplates().name(), ERASED);
      assertThat(templates).as("erin's templates").hasSize(1);
      // Needles unique to erin: the middle of her embeddings' JSON, and the end of her thumbnail's base64
      // (the pixels' entropy-coded data; the JPEG tables at its start are the same in bob's thumbnail).
      String value = new String(templates.get(0).value(), StandardCharsets.UTF_8);
      String embeddings = value.substring(value.indexOf("\"templates\":"), value.indexOf("]]") + 2);
      needles.add(middle(embeddings.getBytes(StandardCharsets.UTF_8), 64));
      String thumbnail = Topics.TEMPLATES_SERDE.fromBytes(templates.get(0).value()).thumbnail();
      assertThat(thumbnail).as("erin's thumbnail in her templates").isNotBlank();
      String thumbnailEnd = thumbnail.substring(thumbnail.length() - 68, thumbnail.length() - 4);
      String bobs = new String(valuesOf(bootstrap, topics.identityTemplates().name(), "bob").get(0).value(),
          StandardCharsets.UTF_8);
      assertThat(bobs).as("bob's templates, kept after erin's erasure").doesNotContain(thumbnailEnd)
          .doesNotContain(new String(middle(embeddings.getBytes(StandardCharsets.UTF_8), 64), StandardCharsets.UTF_8));
      needles.add(thumbnailEnd.getBytes(StandardCharsets.US_ASCII));

      Path logDir = KAFKA.broker().dataDirectory();
      assertThat(filesContaining(logDir, needles)).as("the enrolment and templates are in the broker's files")
          .isNotEmpty();

      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.erasure(topics, ERASED)));
      long erased = System.nanoTime();
      Waits.until(ReliabilityFixtures.WAIT, "gallery drops erin", () -> service.gallerySize() == 1);
      long gallery = elapsedMs(erased);

      long unreadable = -1;
      long goneFromDisk = -1;
      List<String> lastSeen = List.of();
      long deadline = erased + BOUND.toNanos();
      while ((unreadable < 0 || goneFromDisk < 0) && System.nanoTime() < deadline) {
        Thread.sleep(2000);
        if (unreadable < 0 && valuesOf(bootstrap, topics.identities().name(), ERASED).isEmpty()
            && valuesOf(bootstrap, topics.identityTemplates().name(), ERASED).isEmpty()) {
          unreadable = elapsedMs(erased);
        }
        if (goneFromDisk < 0) {
          lastSeen = new ArrayList<>(filesContaining(logDir, needles));
          lastSeen.addAll(filesContaining(stateDir, needles));
          if (lastSeen.isEmpty()) {
            goneFromDisk = elapsedMs(erased);
          }
        }
      }
      assertThat(unreadable).as("ms until no consumer reads erin's enrolment or templates (bound %s)", BOUND)
          .isNotNegative();
      assertThat(lastSeen).as("files still holding erin's images or templates after %s", BOUND).isEmpty();
      assertThat(valuesOf(bootstrap, topics.identities().name(), "bob")).as("bob's enrolment is kept").hasSize(1);
      assertThat(service.gallerySize()).isEqualTo(1);
      System.out.printf("RELIABILITY erasure-bytes: tombstone -> gallery %d ms; -> no value readable from the"
          + " beginning of identities and identity-templates %d ms; -> pattern and templates in no file of the"
          + " broker's log directory or the service's state directory %d ms (bound %d s)%n",
          gallery, unreadable, goneFromDisk, BOUND.toSeconds());
    }
  }

  /**
   * Every record of {@code topic} with key {@code key} and a value (not a tombstone), read from the
   * beginning to the end offsets taken at the start (read_committed, no consumer group).
   */
  private static List<ConsumerRecord<String, byte[]>> valuesOf(String bootstrap, String topic, String key) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key()) && record.value() != null) {
            values.add(record);
          }
        }
      }
    }
    return values;
  }

  /** Regular files under {@code root} that contain any of {@code needles} (files deleted meanwhile are skipped). */
  private static List<String> filesContaining(Path root, List<byte[]> needles) throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    } catch (java.io.UncheckedIOException e) {
      // A file deleted during the walk: look again at the next round.
      return List.of("(directory changed during the walk: " + e.getMessage() + ")");
    }
    for (Path file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException deleted) {
        continue;
      }
      for (byte[] needle : needles) {
        if (indexOf(bytes, needle) >= 0) {
          found.add(root.relativize(file).toString());
          break;
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * The PNG {@code png} with a {@code tEXt} chunk holding {@code text} right after the IHDR chunk
   * (decoders ignore it; the pixels and so the templates are unchanged).
   */
  static byte[] withTextChunk(byte[] png, String text) {
    int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, IHDR length, type, 13 data bytes, CRC
    byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
    byte[] data = ("Comment\0" + text).getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, ihdrEnd);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(type);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }

  /** The part of base64({@code image}) that encodes {@code pattern}, as it appears in the enrolment's JSON. */
  private static byte[] base64Around(byte[] image, String pattern) {
    int at = indexOf(image, pattern.getBytes(StandardCharsets.US_ASCII));
    int from = (at / 3 + 1) * 3; // the first whole 3-byte group inside the pattern
    int to = ((at + pattern.length()) / 3) * 3;
    String encoded = Base64.getEncoder().encodeToString(image);
    return encoded.substring(from / 3 * 4, to / 3 * 4).getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code length} bytes from the middle of {@code value}. */
  private static byte[] middle(byte[] value, int length) {
    int from = Math.max(0, value.length / 2 - length / 2);
    return java.util.Arrays.copyOfRange(value, from, Math.min(value.length, from + length));
  }

  private static long elapsedMs(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
