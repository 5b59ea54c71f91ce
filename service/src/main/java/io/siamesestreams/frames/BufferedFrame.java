package io.siamesestreams.frames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A validated frame waiting in the batch buffer, kept as its original record so that a dead letter
 * raised later still carries the original bytes.
 *
 * @param key original key bytes (the camera id)
 * @param value original value bytes (the frame JSON)
 * @param timestamp the record's timestamp, epoch ms; the match event gets the same
 * @param sourceTopic topic the record was read from, or null
 * @param sourcePartition its partition, or -1
 * @param sourceOffset its offset, or -1
 */
public record BufferedFrame(
    byte[] key, byte[] value, long timestamp, String sourceTopic, int sourcePartition, long sourceOffset) {

  private static final int FORMAT = 1;

  /**
   * Compact binary serde for the buffer store: format byte, then length-prefixed key, value and
   * topic (length −1 for null), timestamp, partition and offset.
   */
  public static Serde<BufferedFrame> serde() {
    Serializer<BufferedFrame> serializer = (topic, frame) -> frame == null ? null : frame.toBytes();
    Deserializer<BufferedFrame> deserializer = (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
  }

  byte[] toBytes() {
    byte[] topicBytes = sourceTopic == null ? null : sourceTopic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(1 + 3 * Integer.BYTES + length(key) + length(value) + length(topicBytes)
        + 2 * Long.BYTES + Integer.BYTES);
    buffer.put((byte) FORMAT);
    putBytes(buffer, key);
    putBytes(buffer, value);
    putBytes(buffer, topicBytes);
    buffer.putLong(timestamp).putInt(sourcePartition).putLong(sourceOffset);
    return buffer.array();
  }

  static BufferedFrame fromBytes(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int format = buffer.get();
    if (format != FORMAT) {
      throw new SerializationException("unknown buffered frame format " + format);
    }
    byte[] key = getBytes(buffer);
    byte[] value = getBytes(buffer);
    byte[] topic = getBytes(buffer);
    return new BufferedFrame(key, value, buffer.getLong(),
        topic == null ? null : new String(topic, StandardCharsets.UTF_8), buffer.getInt(), buffer.getLong());
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void putBytes(ByteBuffer buffer, byte[] bytes) {
    if (bytes == null) {
      buffer.putInt(-1);
    } else {
      buffer.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] getBytes(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }
}
