package io.siamesestreams.topology;

import io.siamesestreams.records.DeadLetters;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' own dead-letter queue (KIP-1034, {@code errors.dead.letter.queue.topic.name}) for
 * the failures the topology does not route itself: an unexpected exception in a processor, or a
 * record Kafka Streams cannot deserialise. Both handlers log, continue, and let Kafka Streams build
 * its dead-letter record (original key and value bytes, {@code __streams.errors.*} headers), then
 * add the project's {@link DeadLetters#REASON_HEADER} ({@value DeadLetters#PROCESSING_ERROR} or
 * {@value DeadLetters#DESERIALIZATION_ERROR}) and {@link DeadLetters#DETAIL_HEADER} (the exception
 * message).
 *
 * <p>Validation failures (bad JSON, missing fields, bad images…) never reach these handlers: the
 * topology routes them to the same topic with specific reasons.
 */
public final class DeadLetterExceptionHandlers {
  private DeadLetterExceptionHandlers() {}

  /** For {@code processing.exception.handler}. */
  public static final class Processing extends LogAndContinueProcessingExceptionHandler {
    @Override
    public ProcessingExceptionHandler.Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      ProcessingExceptionHandler.Response response = super.handleError(context, record, exception);
      addReason(response.deadLetterQueueRecords(), DeadLetters.PROCESSING_ERROR, exception);
      return response;
    }
  }

  /** For {@code deserialization.exception.handler}. */
  public static final class Deserialization extends LogAndContinueExceptionHandler {
    @Override
    public DeserializationExceptionHandler.Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      DeserializationExceptionHandler.Response response = super.handleError(context, record, exception);
      addReason(response.deadLetterQueueRecords(), DeadLetters.DESERIALIZATION_ERROR, exception);
      return response;
    }
  }

  private static void addReason(List<ProducerRecord<byte[], byte[]>> records, String reason, Exception exception) {
    if (records == null) {
      return;
    }
    String detail = exception.getClass().getSimpleName() + ": " + exception.getMessage();
    for (ProducerRecord<byte[], byte[]> record : records) {
      record.headers().remove(DeadLetters.REASON_HEADER);
      record.headers().remove(DeadLetters.DETAIL_HEADER);
      record.headers().add(DeadLetters.REASON_HEADER, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      record.headers().add(DeadLetters.DETAIL_HEADER, detail.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
