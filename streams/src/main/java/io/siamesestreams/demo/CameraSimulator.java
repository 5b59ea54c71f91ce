package io.siamesestreams.demo;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Simulated camera gateways streaming Fashion-MNIST test images as PNG frames, round-robin over
 * {@code cameras} cameras, each frame one scenario drawn with fixed odds: {@value #MALFORMED_SHARE}
 * malformed, then of the rest {@value #GENUINE_SHARE} genuine claims, {@value #IMPOSTOR_SHARE}
 * impostor claims and the remainder unclaimed (identify). The ground truth goes to the {@link
 * Scoreboard} only; frames carry nothing but what a real gateway would send.
 */
final class CameraSimulator {

  static final double MALFORMED_SHARE = 0.03;
  static final double GENUINE_SHARE = 0.35;
  static final double IMPOSTOR_SHARE = 0.25;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final FashionMnistImages testImages;
  private final int cameras;
  private final Scoreboard scoreboard;
  private final Random random;
  private final String runId;
  private long sequence;

  CameraSimulator(
      Producer<String, byte[]> producer,
      String topic,
      FashionMnistImages testImages,
      int cameras,
      Scoreboard scoreboard,
      long seed,
      String runId) {
    this.producer = producer;
    this.topic = topic;
    this.testImages = testImages;
    this.cameras = cameras;
    this.scoreboard = scoreboard;
    this.random = new Random(seed);
    this.runId = runId;
  }

  /** Sends the next frame (asynchronously); call from one thread. */
  void sendNext() {
    long n = sequence++;
    String cameraId = "cam-" + (n % cameras + 1);
    String frameId = runId + "-" + cameraId + "-" + n;
    int index = (int) (n % testImages.size());
    String trueIdentity = FashionMnistImages.IDENTITY_IDS.get(testImages.labels()[index]);
    long now = System.currentTimeMillis();
    double draw = random.nextDouble();
    byte[] value;
    FrameTruth truth;
    if (draw < MALFORMED_SHARE) {
      truth = new FrameTruth(FrameTruth.Kind.MALFORMED, null, null, now);
      value = malformed(frameId, cameraId, now, n);
    } else {
      double rest = (draw - MALFORMED_SHARE) / (1 - MALFORMED_SHARE);
      String claim;
      if (rest < GENUINE_SHARE) {
        claim = trueIdentity;
        truth = new FrameTruth(FrameTruth.Kind.GENUINE, trueIdentity, claim, now);
      } else if (rest < GENUINE_SHARE + IMPOSTOR_SHARE) {
        claim = otherIdentity(trueIdentity);
        truth = new FrameTruth(FrameTruth.Kind.IMPOSTOR, trueIdentity, claim, now);
      } else {
        claim = null;
        truth = new FrameTruth(FrameTruth.Kind.IDENTIFY, trueIdentity, null, now);
      }
      String image = Base64.getEncoder().encodeToString(
          Png.gray(testImages.pixels().get(index), FashionMnistImages.SIZE, FashionMnistImages.SIZE));
      value = Topics.FRAME_SERDE.toBytes(new Frame(frameId, cameraId, now, image, claim, null));
    }
    scoreboard.frameSent(frameId, truth);
    producer.send(new ProducerRecord<>(topic, cameraId, value));
  }

  private String otherIdentity(String trueIdentity) {
    List<String> ids = FashionMnistImages.IDENTITY_IDS;
    String other;
    do {
      other = ids.get(random.nextInt(ids.size()));
    } while (other.equals(trueIdentity));
    return other;
  }

  /** Four kinds in turn: not JSON, no image field, image not base64, image bytes that are no PNG/JPEG. */
  private byte[] malformed(String frameId, String cameraId, long now, long n) {
    String json;
    switch ((int) (n % 4)) {
      case 0 -> {
        return ("frame " + frameId + " from " + cameraId + " is not JSON").getBytes(StandardCharsets.UTF_8);
      }
      case 1 -> json = "{\"frameId\":\"" + frameId + "\",\"cameraId\":\"" + cameraId + "\",\"timestamp\":" + now + "}";
      case 2 -> json = "{\"frameId\":\"" + frameId + "\",\"cameraId\":\"" + cameraId + "\",\"timestamp\":" + now
          + ",\"image\":\"***not base64***\"}";
      default -> {
        byte[] noise = new byte[256];
        random.nextBytes(noise);
        json = "{\"frameId\":\"" + frameId + "\",\"cameraId\":\"" + cameraId + "\",\"timestamp\":" + now
            + ",\"image\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
      }
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
