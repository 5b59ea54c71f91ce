package io.siamesestreams.cli;

import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.topology.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code siamese watch}: tail match events (or dead letters), one readable line each. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Tails the match events (or, with --dlq, the dead letters), one line each, until Ctrl-C.",
      "Reads with isolation.level=read_committed and joins no consumer group."
    })
public final class WatchCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--dlq", description = "Tail the dead-letter topic instead of the match events.")
  boolean deadLetters;

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only.")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many seconds.")
  Long timeoutSeconds;

  @Override
  public Integer call() {
    Topics topics = kafka.topics();
    String topic = deadLetters ? topics.framesDlq().name() : topics.matchEvents().name();
    AtomicBoolean stopping = new AtomicBoolean();
    long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long printed = 0;
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka.settings(), "siamese-watch")) {
      Thread main = Thread.currentThread();
      Thread hook = new Thread(() -> {
        stopping.set(true);
        consumer.wakeup();
        try {
          main.join(5_000);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "watch-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist (run `siamese topics apply`)");
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      System.err.println("watching " + topic + " (Ctrl-C stops)");
      while (!stopping.get() && System.nanoTime() < deadline && (max == null || printed < max)) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            System.out.println(line(record));
            if (max != null && ++printed >= max) {
              break;
            }
          }
          System.out.flush();
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          break;
        }
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running: it is what stopped us
      }
    }
    return 0;
  }

  private String line(ConsumerRecord<String, byte[]> record) {
    if (deadLetters) {
      return EventLines.deadLetter(record.timestamp(), record.key(), record.value(), record.headers());
    }
    try {
      MatchEvent event = Topics.MATCH_EVENT_SERDE.fromBytes(record.value());
      return EventLines.matchEvent(event);
    } catch (SerializationException e) {
      return "unreadable match event at " + record.topic() + "/" + record.partition() + "@" + record.offset()
          + ": " + e.getMessage();
    }
  }
}
