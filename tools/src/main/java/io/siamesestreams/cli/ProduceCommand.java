package io.siamesestreams.cli;

import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code siamese produce}: a camera gateway sending image files as frames. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "A camera gateway: sends the images of a folder as frames (key: the camera id) at a steady rate.",
      "With --claim every frame claims that identity (1:1 verify); without, frames are identified (1:N).",
      "Prints each frame id on stdout."
    })
public final class ProduceCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--camera", required = true, paramLabel = "CAM", description = "Camera id (the record key).")
  String camera;

  @Option(names = "--images", required = true, arity = "1..*", paramLabel = "DIR|FILE",
      description = "PNG/JPEG files or folders of them, sent in name order.")
  List<Path> images;

  @Option(names = "--claim", paramLabel = "ID", description = "Identity every frame claims (verify); omit to identify.")
  String claim;

  @Option(names = "--fps", defaultValue = "5", paramLabel = "N",
      description = "Frames per second (default ${DEFAULT-VALUE}); 0 sends as fast as possible.")
  double fps;

  @Option(names = "--count", paramLabel = "N",
      description = "Frames to send, cycling through the images; default: each image once.")
  Integer count;

  @Override
  public Integer call() throws Exception {
    if (fps < 0) {
      throw new IllegalArgumentException("--fps must be >= 0");
    }
    List<Path> files = ImageFiles.expand(images);
    List<String> encoded = files.stream().map(ImageFiles::read).map(Base64.getEncoder()::encodeToString).toList();
    int frames = count == null ? encoded.size() : count;
    String topic = kafka.topics().frames().name();
    long intervalNanos = fps == 0 ? 0 : (long) (1e9 / fps);
    List<Future<?>> acks = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.settings(), "siamese-produce-" + camera)) {
      long start = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        long due = start + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        String frameId = camera + "-" + UUID.randomUUID();
        Frame frame = new Frame(frameId, camera, System.currentTimeMillis(), encoded.get(i % encoded.size()), claim, null);
        acks.add(producer.send(new ProducerRecord<>(topic, camera, Topics.FRAME_SERDE.toBytes(frame))));
        System.out.println(frameId + " " + files.get(i % files.size()).getFileName());
      }
      for (Future<?> ack : acks) {
        ack.get(60, TimeUnit.SECONDS);
      }
    }
    System.err.println("sent " + frames + " frame(s) from " + camera + " to " + topic);
    return 0;
  }
}
