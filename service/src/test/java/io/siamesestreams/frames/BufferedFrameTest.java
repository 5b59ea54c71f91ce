package io.siamesestreams.frames;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class BufferedFrameTest {

  private final Serde<BufferedFrame> serde = BufferedFrame.serde();

  @Test
  void shouldRoundTripEveryFieldThroughTheBufferSerde() {
    BufferedFrame frame = new BufferedFrame(new byte[] {1, 2}, new byte[] {3, 4, 5}, 99L, "frames", 2, 1234L);

    BufferedFrame back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", frame));

    assertThat(back.key()).containsExactly(1, 2);
    assertThat(back.value()).containsExactly(3, 4, 5);
    assertThat(back.timestamp()).isEqualTo(99L);
    assertThat(back.sourceTopic()).isEqualTo("frames");
    assertThat(back.sourcePartition()).isEqualTo(2);
    assertThat(back.sourceOffset()).isEqualTo(1234L);
  }

  @Test
  void shouldRoundTripNullKeyAndTopic() {
    BufferedFrame frame = new BufferedFrame(null, new byte[0], 1L, null, -1, -1);

    BufferedFrame back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", frame));

    assertThat(back.key()).isNull();
    assertThat(back.value()).isEmpty();
    assertThat(back.sourceTopic()).isNull();
    assertThat(serde.serializer().serialize("t", null)).isNull();
  }
}
