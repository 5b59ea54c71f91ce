package io.siamesestreams.topology;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic as the code sees it: its name and the serdes of its keys and values.
 *
 * @param name the topic name
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 */
public record TopicDefinition<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

  public TopicDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }

  /** The same serdes under another name. */
  public TopicDefinition<K, V> named(String otherName) {
    return new TopicDefinition<>(otherName, keySerde, valueSerde);
  }

  public Consumed<K, V> consumed() {
    return Consumed.with(keySerde, valueSerde);
  }

  public Produced<K, V> produced() {
    return Produced.with(keySerde, valueSerde);
  }
}
