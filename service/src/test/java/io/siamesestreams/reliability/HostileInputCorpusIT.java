package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.records.JsonSerde;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4 of docs/RELIABILITY.md: the hostile input corpus ({@code src/test/resources/hostile/},
 * listed with the expected outcome of each item in {@code corpus.tsv}) goes through a running
 * service on a real broker. Every item ends exactly as listed (a dead letter with exactly that
 * reason, matched to its source offset, or a match event with that decision), the service stays
 * RUNNING, a genuine frame after the corpus still matches, and the counts add up: frames in =
 * events + frame dead letters, enrolments in = templates + enrolment dead letters.
 */
class HostileInputCorpusIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** Below the broker's 1 MiB so that the corpus's 80 KB item can reach the service's check. */
  private static final int MAX_RECORD_BYTES = 64 * 1024;

  @TempDir
  Path dir;

  /** One line of corpus.tsv. */
  record CorpusItem(String file, String topic, String key, String expected, int line) {
    byte[] value() {
      return file.equals("-") ? null : resource("hostile/" + file);
    }
  }

  static List<CorpusItem> corpus() {
    List<CorpusItem> items = new ArrayList<>();
    String[] lines = new String(resource("hostile/corpus.tsv"), StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank() || lines[i].startsWith("#")) {
        continue;
      }
      String[] f = lines[i].split("\t");
      items.add(new CorpusItem(f[0], f[1], f[2].equals("-") ? null : f[2], f[3], i + 1));
    }
    return items;
  }

  private static byte[] resource(String name) {
    try (InputStream in = HostileInputCorpusIT.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void shouldTurnEveryHostileItemIntoItsDeadLetterOrEventAndKeepRunning() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "hostile-", 1);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    ServiceSettings settings = ReliabilityFixtures.settings(bootstrap, bundle, topics, "hostile-app",
            dir.resolve("state"))
        .with(Map.of(ServiceConfig.MAX_FRAME_BYTES, MAX_RECORD_BYTES,
            ServiceConfig.DEDUPE_WINDOW_MS, Duration.ofMinutes(10).toMillis()));
    List<CorpusItem> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(25);

    try (SiameseService service = SiameseService.start(settings)) {
      service.awaitRunning(ReliabilityFixtures.WAIT);
      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1)));
      Waits.until(ReliabilityFixtures.WAIT, "alice in the gallery", () -> service.gallerySize() == 1);

      // Send each item in corpus order and remember where it landed: dead letters name that offset.
      Map<String, CorpusItem> itemsBySource = new LinkedHashMap<>();
      Map<String, CorpusItem> eventItemsByFrameId = new HashMap<>();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestSupport.producerConfig(bootstrap))) {
        for (CorpusItem item : corpus) {
          String topic = item.topic().equals("frames") ? topics.frames().name() : topics.identities().name();
          RecordMetadata sent = producer.send(new ProducerRecord<>(topic, item.key(), item.value()))
              .get(30, TimeUnit.SECONDS);
          itemsBySource.put(topic + "@" + sent.offset(), item);
          if (item.expected().startsWith("EVENT:") && !eventItemsByFrameId.containsKey(frameId(item))) {
            eventItemsByFrameId.put(frameId(item), item);
          }
        }
      }
      KafkaTestSupport.produce(bootstrap, List.of(
          ReliabilityFixtures.frame(topics, "genuine-after-corpus", "cam-h", 1, 7, "alice")));

      long expectedDeadLetters = corpus.stream().filter(i -> i.expected().startsWith("DLQ:")).count();
      long expectedEvents = corpus.stream().filter(i -> i.expected().startsWith("EVENT:")).count() + 1;

      // Wait for the expected counts, then read once more for one record beyond them (a second dead
      // letter or event for an item would show up there).
      KafkaTestSupport.consume(bootstrap, topics.framesDlq().name(), new ByteArrayDeserializer(),
          (int) expectedDeadLetters, ReliabilityFixtures.WAIT, r -> true);
      KafkaTestSupport.consume(bootstrap, topics.matchEvents().name(), new ByteArrayDeserializer(),
          (int) expectedEvents, ReliabilityFixtures.WAIT, r -> true);
      List<ConsumerRecord<String, byte[]>> deadLetters = KafkaTestSupport.consume(bootstrap,
          topics.framesDlq().name(), new ByteArrayDeserializer(), (int) expectedDeadLetters + 1,
          Duration.ofSeconds(3), r -> true);
      List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(bootstrap,
          topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), (int) expectedEvents + 1,
          Duration.ofSeconds(2), r -> true);
      List<ConsumerRecord<String, IdentityTemplates>> templates = KafkaTestSupport.consume(bootstrap,
          topics.identityTemplates().name(), Topics.TEMPLATES_SERDE.deserializer(), 2, Duration.ofSeconds(2),
          r -> true);

      // Every dead letter is the item sent at its source offset, with exactly the listed reason.
      Map<String, String> actualReasons = new LinkedHashMap<>();
      for (ConsumerRecord<String, byte[]> letter : deadLetters) {
        String source = DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC_HEADER) + "@"
            + DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET_HEADER);
        assertThat(actualReasons.put(source, DeadLetters.header(letter.headers(), DeadLetters.REASON_HEADER)))
            .as("a second dead letter for " + source).isNull();
        System.out.printf("RELIABILITY hostile %-45s -> %s (%s)%n",
            itemsBySource.get(source) == null ? source : itemsBySource.get(source).file(),
            DeadLetters.header(letter.headers(), DeadLetters.REASON_HEADER),
            DeadLetters.header(letter.headers(), DeadLetters.DETAIL_HEADER));
      }
      Map<String, String> expectedReasons = new LinkedHashMap<>();
      itemsBySource.forEach((source, item) -> {
        if (item.expected().startsWith("DLQ:")) {
          expectedReasons.put(source, item.expected().substring("DLQ:".length()));
        }
      });
      assertThat(actualReasons).as("dead letters by source offset").isEqualTo(expectedReasons);

      Map<String, Decision> decisions = new LinkedHashMap<>();
      for (ConsumerRecord<String, MatchEvent> event : events) {
        assertThat(decisions.put(event.value().frameId(), event.value().decision()))
            .as("a second event for frame " + event.value().frameId()).isNull();
      }
      Map<String, Decision> expectedDecisions = new LinkedHashMap<>();
      eventItemsByFrameId.forEach((frameId, item) ->
          expectedDecisions.put(frameId, Decision.valueOf(item.expected().substring("EVENT:".length()))));
      expectedDecisions.put("genuine-after-corpus", Decision.MATCH);
      assertThat(decisions).as("match events by frame id").isEqualTo(expectedDecisions);

      long framesIn = corpus.stream().filter(i -> i.topic().equals("frames")).count() + 1;
      long frameLetters = actualReasons.keySet().stream().filter(s -> s.startsWith(topics.frames().name() + "@"))
          .count();
      long enrolmentsIn = corpus.stream().filter(i -> i.topic().equals("identities")).count() + 1;
      assertThat(events.size() + frameLetters).as("frames in = events + frame dead letters").isEqualTo(framesIn);
      assertThat(templates.size() + deadLetters.size() - frameLetters)
          .as("enrolments in = templates + enrolment dead letters").isEqualTo(enrolmentsIn);
      assertThat(templates).extracting(ConsumerRecord::key).containsExactly("alice");
      assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(service.failure()).isNull();
      System.out.printf("RELIABILITY hostile: %d items (%d frames, %d enrolments incl. the genuine ones), "
              + "%d dead letters, %d events, service %s%n", corpus.size(), framesIn, enrolmentsIn,
          deadLetters.size(), events.size(), service.state());
    }
  }

  private static String frameId(CorpusItem item) {
    try {
      JsonNode json = JsonSerde.mapper().readTree(item.value());
      return json.get("frameId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(item.file(), e);
    }
  }
}
