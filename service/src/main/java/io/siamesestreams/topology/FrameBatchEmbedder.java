package io.siamesestreams.topology;

import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.frames.FrameEmbedder.EncoderInput;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.FrameFlow.DeadLetter;
import io.siamesestreams.topology.FrameFlow.EmbeddedBatch;
import io.siamesestreams.topology.FrameFlow.FrameBatch;
import io.siamesestreams.topology.FrameFlow.ValidFrame;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Embeds a batch of frames: each frame's encoder inputs come from the model's {@link FrameEmbedder}
 * (its whole image, or its faces' aligned chips), and all inputs of the batch go through the encoder
 * in one ONNX Runtime call; the {@link EmbeddedBatch} goes on to {@code matchNode}. A frame whose
 * {@code faceBox} does not lie in its image (INVALID_FIELD:faceBox), or an {@code aligned} chip not of
 * the model's chip size (INVALID_FIELD:aligned), is dead-lettered to {@code deadLetterNode} and leaves
 * the batch.
 */
public final class FrameBatchEmbedder implements Processor<byte[], FrameBatch, byte[], FrameFlow> {

  private final FrameEmbedder frameEmbedder;
  private final Encoder encoder;
  private final String matchNode;
  private final String deadLetterNode;
  private final ServiceMetrics metrics;
  private ProcessorContext<byte[], FrameFlow> context;
  private FloatBuffer rows;

  /**
   * @param frameEmbedder a frame's image → its inputs
   * @param encoder the model's encoder (owned by the model, never closed here)
   */
  public FrameBatchEmbedder(FrameEmbedder frameEmbedder, Encoder encoder, String matchNode, String deadLetterNode,
      ServiceMetrics metrics) {
    this.frameEmbedder = frameEmbedder;
    this.encoder = encoder;
    this.matchNode = matchNode;
    this.deadLetterNode = deadLetterNode;
    this.metrics = metrics;
  }

  /** One embedder per task (each keeps its own input buffer), all sharing the model's sessions. */
  public static ProcessorSupplier<byte[], FrameBatch, byte[], FrameFlow> supplier(FrameEmbedder frameEmbedder,
      Encoder encoder, String matchNode, String deadLetterNode, ServiceMetrics metrics) {
    return () -> new FrameBatchEmbedder(frameEmbedder, encoder, matchNode, deadLetterNode, metrics);
  }

  @Override
  public void init(ProcessorContext<byte[], FrameFlow> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], FrameBatch> record) {
    FrameBatch batch = record.value();
    List<ValidFrame> frames = new ArrayList<>(batch.frames().size());
    List<List<EncoderInput>> inputs = new ArrayList<>(batch.frames().size());
    int count = 0;
    long facesStart = System.nanoTime();
    for (ValidFrame frame : batch.frames()) {
      List<EncoderInput> frameInputs;
      try {
        frameInputs = frameEmbedder.frameInputs(frame.image(), frame.frame().faceBox(), frame.frame().isAligned());
      } catch (FrameEmbedder.InvalidFieldException e) {
        metrics.deadLettered(ServiceMetrics.INPUT_FRAMES, e.reason());
        context.forward(DeadLetter.of(frame, e.reason(), e.getMessage()).record(), deadLetterNode);
        continue;
      }
      frames.add(frame);
      inputs.add(frameInputs);
      count += frameInputs.size();
    }
    int[] firstRow = new int[frames.size()];
    float[] embeddings = new float[0];
    if (count > 0) {
      FloatBuffer images = rowsFor(count);
      for (int i = 0, row = 0; i < frames.size(); i++) {
        firstRow[i] = row;
        for (EncoderInput input : inputs.get(i)) {
          images.put(input.pixels());
          row++;
        }
      }
      images.flip();
      long start = System.nanoTime();
      metrics.stage(ServiceMetrics.Stage.FACES, start - facesStart);
      embeddings = encoder.embed(images, count);
      long encoded = System.nanoTime() - start;
      metrics.batchEmbedded(count, encoded);
      metrics.stage(ServiceMetrics.Stage.ENCODE, encoded);
    } else {
      metrics.stage(ServiceMetrics.Stage.FACES, System.nanoTime() - facesStart);
    }
    if (!frames.isEmpty()) {
      context.forward(record.withValue((FrameFlow) new EmbeddedBatch(frames, inputs, firstRow, embeddings,
          batch.startedNanos())), matchNode);
    }
  }

  /** The reused input buffer, cleared, with room for {@code count} inputs. */
  private FloatBuffer rowsFor(int count) {
    int floats = count * encoder.preprocessor().floatsPerImage();
    if (rows == null || rows.capacity() < floats) {
      rows = encoder.preprocessor().allocate(Math.max(count, 2 * (rows == null ? 0 : rows.capacity()
          / encoder.preprocessor().floatsPerImage())));
    }
    rows.clear();
    return rows;
  }
}
