package io.siamesestreams.reliability;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The exactly-once accounting of a run: everything on {@code match-events} and {@code frames-dlq}
 * read with {@code isolation.level=read_committed}, counted per frame id.
 *
 * <p>Reading: first until the expected number of records arrived (bounded by a timeout), then once
 * more for one record beyond that, for {@code settle}: a duplicate that arrives late still counts.
 *
 * @param eventsPerFrame how many match events each frame id got
 * @param deadLettersPerFrame how many dead letters each invalid frame got (id: the value as text)
 * @param events all match events, in consumption order
 */
record OutcomeLedger(Map<String, Integer> eventsPerFrame, Map<String, Integer> deadLettersPerFrame,
    List<MatchEvent> events) {

  /** Reads both topics; {@code expectedEvents}/{@code expectedDeadLetters} bound the first read. */
  static OutcomeLedger read(String bootstrap, Topics topics, int expectedEvents, int expectedDeadLetters,
      Duration timeout, Duration settle) {
    List<ConsumerRecord<String, MatchEvent>> eventRecords = settledConsume(bootstrap, topics.matchEvents().name(),
        expectedEvents, timeout, settle, true);
    List<ConsumerRecord<String, byte[]>> letters = settledConsume(bootstrap, topics.framesDlq().name(),
        expectedDeadLetters, timeout, settle, false);
    Map<String, Integer> events = new HashMap<>();
    List<MatchEvent> all = new ArrayList<>();
    for (ConsumerRecord<String, MatchEvent> record : eventRecords) {
      events.merge(record.value().frameId(), 1, Integer::sum);
      all.add(record.value());
    }
    Map<String, Integer> deadLetters = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : letters) {
      String id = record.value() == null ? "<null>" : new String(record.value(), StandardCharsets.UTF_8);
      deadLetters.merge(id + " [" + DeadLetters.header(record.headers(), DeadLetters.REASON_HEADER) + "]", 1,
          Integer::sum);
    }
    return new OutcomeLedger(events, deadLetters, all);
  }

  @SuppressWarnings("unchecked")
  private static <V> List<ConsumerRecord<String, V>> settledConsume(String bootstrap, String topic, int expected,
      Duration timeout, Duration settle, boolean events) {
    var deserializer = events ? Topics.MATCH_EVENT_SERDE.deserializer() : new ByteArrayDeserializer();
    List<?> first = KafkaTestSupport.consume(bootstrap, topic, deserializer, expected, timeout, r -> true);
    if (first.size() < expected) {
      return (List<ConsumerRecord<String, V>>) first;
    }
    return (List<ConsumerRecord<String, V>>) (List<?>) KafkaTestSupport.consume(bootstrap, topic, deserializer,
        expected + 1, settle, r -> true);
  }

  /** Valid frame ids without any event. */
  Set<String> lost(Set<String> validFrameIds) {
    Set<String> lost = new TreeSet<>(validFrameIds);
    lost.removeAll(eventsPerFrame.keySet());
    return lost;
  }

  /** Frame ids with more than one event, or with an event although they were not valid frames. */
  Set<String> duplicated(Set<String> validFrameIds) {
    Set<String> duplicated = new TreeSet<>();
    eventsPerFrame.forEach((id, n) -> {
      if (n > 1 || !validFrameIds.contains(id)) {
        duplicated.add(id);
      }
    });
    return duplicated;
  }

  /**
   * Milliseconds from {@code sinceEpochMillis} (wall clock) to the first event processed after it
   * ({@link MatchEvent#processedAt()}), or -1 when none was.
   */
  long millisToFirstEventAfter(long sinceEpochMillis) {
    return events.stream().mapToLong(MatchEvent::processedAt).filter(t -> t > sinceEpochMillis).min()
        .stream().map(t -> t - sinceEpochMillis).findFirst().orElse(-1L);
  }

  /** Extra events beyond one per frame id (0 when exactly once). */
  int duplicateEventCount() {
    return eventsPerFrame.values().stream().mapToInt(n -> n - 1).sum();
  }
}
