package io.siamesestreams.topology;

import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.identity.IdentityTemplates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} over the service's topology with a typed handle on each of its
 * topics: raw frames and enrolments in, templates in (the global gallery), events, templates and
 * dead letters out. Input records are stamped 1 ms apart from {@code start}.
 */
record TopologyHarness(
    TopologyTestDriver driver,
    TestInputTopic<byte[], byte[]> frames,
    TestInputTopic<byte[], byte[]> identities,
    TestInputTopic<String, IdentityTemplates> templatesIn,
    TestOutputTopic<String, MatchEvent> events,
    TestOutputTopic<String, IdentityTemplates> templatesOut,
    TestOutputTopic<byte[], byte[]> deadLetters) {

  static TopologyHarness start(Topology topology, Topics topics, Path stateDir, String applicationId, Instant start) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    TopologyTestDriver driver = new TopologyTestDriver(topology, props, start);
    Duration step = Duration.ofMillis(1);
    return new TopologyHarness(driver,
        driver.createInputTopic(topics.frames().name(), Serdes.ByteArray().serializer(),
            Serdes.ByteArray().serializer(), start, step),
        driver.createInputTopic(topics.identities().name(), Serdes.ByteArray().serializer(),
            Serdes.ByteArray().serializer(), start, step),
        driver.createInputTopic(topics.identityTemplates().name(), Serdes.String().serializer(),
            Topics.TEMPLATES_SERDE.serializer(), start, step),
        driver.createOutputTopic(topics.matchEvents().name(), Serdes.String().deserializer(),
            Topics.MATCH_EVENT_SERDE.deserializer()),
        driver.createOutputTopic(topics.identityTemplates().name(), Serdes.String().deserializer(),
            Topics.TEMPLATES_SERDE.deserializer()),
        driver.createOutputTopic(topics.framesDlq().name(), Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer()));
  }
}
