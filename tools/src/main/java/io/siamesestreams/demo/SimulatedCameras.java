package io.siamesestreams.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What both demos' simulated camera gateways share: round-robin over {@code cameras} cameras,
 * frame ids {@code <runId>-cam-<c>-<n>}, the ground truth to the scoreboard only (frames carry
 * nothing but what a real gateway would send), the seeded scenario draws and the
 * {@value #MALFORMED_SHARE} share of malformed frames. A subclass makes each frame
 * ({@link #shoot}).
 *
 * @param <T> the ground truth of one frame
 */
abstract class SimulatedCameras<T> {

  static final double MALFORMED_SHARE = 0.03;

  /** One frame as sent: its record value and what only the scoreboard learns about it. */
  record Shot<T>(T truth, byte[] value) {}

  /** The scenario draws; seeded, so a seed replays the same frames. */
  final Random random;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final int cameras;
  private final DemoScoreboard<T> scoreboard;
  private final String runId;
  private long sequence;

  SimulatedCameras(Producer<String, byte[]> producer, String topic, int cameras, DemoScoreboard<T> scoreboard,
      long seed, String runId) {
    this.producer = producer;
    this.topic = topic;
    this.cameras = cameras;
    this.scoreboard = scoreboard;
    this.random = new Random(seed);
    this.runId = runId;
  }

  /** Makes and sends the next frame (asynchronously), keyed by its camera; call from one thread. */
  final void sendNext() {
    long n = sequence++;
    String cameraId = "cam-" + (n % cameras + 1);
    String frameId = runId + "-" + cameraId + "-" + n;
    Shot<T> shot = shoot(n, frameId, cameraId);
    scoreboard.frameSent(frameId, shot.truth());
    producer.send(new ProducerRecord<>(topic, cameraId, shot.value()));
  }

  /** Makes frame {@code n} (the {@code n}-th of the run) and its ground truth. */
  abstract Shot<T> shoot(long n, String frameId, String cameraId);

  /**
   * Where a draw in [0, 1) that is not malformed ({@code draw >= MALFORMED_SHARE}) falls among the
   * valid scenarios, again in [0, 1).
   */
  static double validShare(double draw) {
    return (draw - MALFORMED_SHARE) / (1 - MALFORMED_SHARE);
  }

  /** An identity of {@code ids} other than {@code id}, drawn uniformly. */
  final String otherThan(String id, List<String> ids) {
    String other;
    do {
      other = ids.get(random.nextInt(ids.size()));
    } while (other.equals(id));
    return other;
  }

  /** Four kinds in turn: not JSON, no image field, image not base64, image bytes that are no PNG/JPEG. */
  final byte[] malformed(String frameId, String cameraId, long now, long n) {
    String head = "{\"frameId\":\"" + frameId + "\",\"cameraId\":\"" + cameraId + "\",\"timestamp\":" + now;
    String json = switch ((int) (n % 4)) {
      case 0 -> "frame " + frameId + " from " + cameraId + " is not JSON";
      case 1 -> head + "}";
      case 2 -> head + ",\"image\":\"***not base64***\"}";
      default -> {
        byte[] noise = new byte[256];
        random.nextBytes(noise);
        yield head + ",\"image\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
      }
    };
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
