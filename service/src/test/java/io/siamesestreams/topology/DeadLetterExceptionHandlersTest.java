package io.siamesestreams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.records.DeadLetters;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Kafka Streams' KIP-1034 dead-letter records, with the project's reason headers added. */
class DeadLetterExceptionHandlersTest {

  private static final byte[] RAW_KEY = {1};
  private static final byte[] RAW_VALUE = {2, 3};

  private static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      public String topic() { return "frames"; }
      public int partition() { return 1; }
      public long offset() { return 42; }
      public Headers headers() { return new RecordHeaders(); }
      public String processorNodeId() { return "frame-batcher"; }
      public TaskId taskId() { return new TaskId(0, 1); }
      public long timestamp() { return 7; }
      public byte[] sourceRawKey() { return RAW_KEY; }
      public byte[] sourceRawValue() { return RAW_VALUE; }
    };
  }

  @Test
  void shouldDeadLetterAProcessingFailureWithTheOriginalBytesAndAReason() {
    DeadLetterExceptionHandlers.Processing handler = new DeadLetterExceptionHandlers.Processing();
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "frames-dlq"));

    ProcessingExceptionHandler.Response response =
        handler.handleError(context(), new Record<>("k", "v", 7L), new IllegalStateException("boom"));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
      assertThat(record.topic()).isEqualTo("frames-dlq");
      assertThat(record.key()).isEqualTo(RAW_KEY);
      assertThat(record.value()).isEqualTo(RAW_VALUE);
      assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.PROCESSING_ERROR);
      assertThat(DeadLetters.header(record.headers(), DeadLetters.DETAIL_HEADER)).contains("boom");
    });
  }

  @Test
  void shouldDeadLetterADeserializationFailureWithAReason() {
    DeadLetterExceptionHandlers.Deserialization handler = new DeadLetterExceptionHandlers.Deserialization();
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "frames-dlq"));

    var response = handler.handleError(context(),
        new ConsumerRecord<>("identity-templates", 0, 42, RAW_KEY, RAW_VALUE), new RuntimeException("bad"));

    ProducerRecord<byte[], byte[]> record = response.deadLetterQueueRecords().get(0);
    assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON_HEADER))
        .isEqualTo(DeadLetters.DESERIALIZATION_ERROR);
    assertThat(record.value()).isEqualTo(RAW_VALUE);
  }
}
