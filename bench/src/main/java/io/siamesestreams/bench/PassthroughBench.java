package io.siamesestreams.bench;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The transport's own limit: a bare Kafka Streams application that copies the frame records from
 * the frames topic to a sink topic, byte for byte (no parsing, no state, no model), with the
 * service's Kafka Streams configuration ({@link SiameseService#streamsProperties}: the same
 * processing guarantee, commit interval, stream threads and client settings), on the same broker
 * and the same frames topic (so the same partitions and the same records).
 *
 * <p>Throughput is measured as {@link PipelineBench#steadyState} does for the service, on the sink
 * records' {@code LogAppendTime} (the broker stamps each record when the passthrough's producer
 * appends it, as the service stamps {@code processedAt} when it builds the event).
 */
public final class PassthroughBench {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private PassthroughBench() {}

  /**
   * Starts the passthrough with {@code settings}' Kafka Streams configuration (application id and
   * state dir included; use a fresh one), reading {@code settings.topics().frames()} from the start,
   * and waits for {@code expected} records on the sink (at most {@code timeout}).
   *
   * @param sinkTopic created here with the frames topic's partition count and LogAppendTime
   */
  public static PipelineBench.Throughput measure(KafkaSettings kafka, ServiceSettings settings, String sinkTopic,
      int expected, Duration timeout, Consumer<String> progress) throws InterruptedException {
    String framesTopic = settings.topics().frames().name();
    try (Admin admin = Admin.create(kafka.forAdmin())) {
      int partitions = admin.describeTopics(List.of(framesTopic)).allTopicNames().get().get(framesTopic)
          .partitions().size();
      admin.createTopics(List.of(new NewTopic(sinkTopic, partitions, (short) 1).configs(Map.of(
          TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024))))).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot create the passthrough's sink topic " + sinkTopic, e.getCause());
    }
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(framesTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .to(sinkTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    Properties properties = SiameseService.streamsProperties(settings);
    try (KafkaStreams streams = new KafkaStreams(builder.build(properties), properties);
        KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka,
            "siamese-bench-" + sinkTopic)) {
      List<TopicPartition> sink = consumer.partitionsFor(sinkTopic).stream()
          .map(info -> new TopicPartition(sinkTopic, info.partition())).toList();
      consumer.assign(sink);
      consumer.seekToBeginning(sink);
      streams.start();
      long startupDeadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < startupDeadline) {
        if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
          throw new IllegalStateException("the passthrough stopped: " + streams.state());
        }
        Thread.sleep(20);
      }
      List<Long> appendedAt = new ArrayList<>(expected);
      long deadline = System.nanoTime() + timeout.toNanos();
      long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (appendedAt.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          appendedAt.add(record.timestamp());
        }
        if (System.nanoTime() > nextReport) {
          progress.accept("bench: passthrough: " + appendedAt.size() + " of " + expected + " records");
          nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
      }
      PipelineBench.Throughput throughput = PipelineBench.steadyState(appendedAt);
      progress.accept(String.format(Locale.ROOT, "bench: passthrough: %d records, %.1f records/s over the last %.2f s%s",
          appendedAt.size(), throughput.framesPerSecond(), throughput.seconds(),
          appendedAt.size() < expected ? " (timed out before all " + expected + ")" : ""));
      streams.close(Duration.ofSeconds(30));
      return throughput;
    }
  }
}
