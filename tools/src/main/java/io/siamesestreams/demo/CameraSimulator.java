package io.siamesestreams.demo;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.topology.Topics;
import java.util.Base64;
import org.apache.kafka.clients.producer.Producer;

/**
 * Simulated camera gateways streaming Fashion-MNIST test images as PNG frames, round-robin over
 * {@code cameras} cameras, each frame one scenario drawn with fixed odds: {@value #MALFORMED_SHARE}
 * malformed, then of the rest {@value #GENUINE_SHARE} genuine claims, {@value #IMPOSTOR_SHARE}
 * impostor claims and the remainder unclaimed (identify). The ground truth goes to the {@link
 * Scoreboard} only; frames carry nothing but what a real gateway would send.
 */
final class CameraSimulator extends SimulatedCameras<FrameTruth> {

  static final double GENUINE_SHARE = 0.35;
  static final double IMPOSTOR_SHARE = 0.25;

  private final FashionMnistImages testImages;

  CameraSimulator(
      Producer<String, byte[]> producer,
      String topic,
      FashionMnistImages testImages,
      int cameras,
      Scoreboard scoreboard,
      long seed,
      String runId) {
    super(producer, topic, cameras, scoreboard, seed, runId);
    this.testImages = testImages;
  }

  /** Test image {@code n} (cycling), as the scenario drawn for it. */
  @Override
  Shot<FrameTruth> shoot(long n, String frameId, String cameraId) {
    int index = (int) (n % testImages.size());
    String trueIdentity = FashionMnistImages.IDENTITY_IDS.get(testImages.labels()[index]);
    long now = System.currentTimeMillis();
    double draw = random.nextDouble();
    if (draw < MALFORMED_SHARE) {
      return new Shot<>(new FrameTruth(FrameTruth.Kind.MALFORMED, null, null, now),
          malformed(frameId, cameraId, now, n));
    }
    double rest = validShare(draw);
    String claim;
    FrameTruth truth;
    if (rest < GENUINE_SHARE) {
      claim = trueIdentity;
      truth = new FrameTruth(FrameTruth.Kind.GENUINE, trueIdentity, claim, now);
    } else if (rest < GENUINE_SHARE + IMPOSTOR_SHARE) {
      claim = otherThan(trueIdentity, FashionMnistImages.IDENTITY_IDS);
      truth = new FrameTruth(FrameTruth.Kind.IMPOSTOR, trueIdentity, claim, now);
    } else {
      claim = null;
      truth = new FrameTruth(FrameTruth.Kind.IDENTIFY, trueIdentity, null, now);
    }
    String image = Base64.getEncoder().encodeToString(
        Png.gray(testImages.pixels().get(index), FashionMnistImages.SIZE, FashionMnistImages.SIZE));
    return new Shot<>(truth, Topics.FRAME_SERDE.toBytes(new Frame(frameId, cameraId, now, image, claim, null)));
  }
}
