package io.siamesestreams.topology;

import io.siamesestreams.frames.BufferedFrame;
import io.siamesestreams.frames.FrameDecoder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.FrameFlow.DeadLetter;
import io.siamesestreams.topology.FrameFlow.ValidFrame;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First step of the frame path: parses and validates each raw {@code frames} record and decodes its
 * image, once, with the model's {@link FrameEmbedder} ({@link FrameDecoder}). A valid frame goes on as
 * a {@link ValidFrame} to {@code validNode}; an invalid one as a {@link DeadLetter} (original bytes,
 * stable reason code) to {@code deadLetterNode}.
 */
public final class FrameValidator implements Processor<byte[], byte[], byte[], FrameFlow> {

  private final FrameDecoder decoder;
  private final String validNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<byte[], FrameFlow> context;

  public FrameValidator(FrameEmbedder images, int maxRecordBytes, String validNode, String deadLetterNode,
      ServiceMetrics metrics) {
    this.decoder = new FrameDecoder(images, maxRecordBytes, metrics);
    this.validNode = validNode;
    this.deadLetterNode = deadLetterNode;
    this.metrics = metrics;
  }

  /** One validator per task. */
  public static ProcessorSupplier<byte[], byte[], byte[], FrameFlow> supplier(FrameEmbedder images,
      int maxRecordBytes, String validNode, String deadLetterNode, ServiceMetrics metrics) {
    return () -> new FrameValidator(images, maxRecordBytes, validNode, deadLetterNode, metrics);
  }

  @Override
  public void init(ProcessorContext<byte[], FrameFlow> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.frameConsumed();
    FrameDecoder.Result result = decoder.decode(record.key(), record.value());
    if (result instanceof FrameDecoder.Invalid invalid) {
      metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, invalid.reason());
      context.forward(DeadLetter.of(context, record, invalid.reason(), invalid.detail()).record(), deadLetterNode);
      return;
    }
    FrameDecoder.Valid valid = (FrameDecoder.Valid) result;
    RecordMetadata source = context.recordMetadata().orElse(null);
    BufferedFrame original = new BufferedFrame(record.key(), record.value(), record.timestamp(),
        source == null ? null : source.topic(), source == null ? -1 : source.partition(),
        source == null ? -1 : source.offset());
    context.forward(new Record<byte[], FrameFlow>(record.key(),
        new ValidFrame(valid.frame(), valid.image(), original, record.headers()), record.timestamp(),
        record.headers()), validNode);
  }
}
