package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.gateway.gate.DropReason;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.ExternalPrograms;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live HTTP stream on 127.0.0.1: Debian's {@code ffmpeg} serving a looped video as Matroska at its
 * own frame rate ({@code -re … -listen 1 http://…}); the gateway samples it on the wall clock.
 */
class HttpStreamIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private static long taken(GatewayMetrics metrics, String camera) {
    return metrics.decodedCount(camera) - metrics.droppedCounts(camera).getOrDefault(DropReason.FPS, 0L);
  }

  @Test
  void aLiveHttpStreamIsSampledToTheRequestedRateOnTheWallClockWithinTenPercent() throws Exception {
    ExternalPrograms.require("ffmpeg", "ffmpeg");
    String topic = "frames-http";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    Path video = TestMedia.writeVideo(dir.resolve("live.mp4"), TestMedia.fashionFrames(50, 320, 240), 25);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/cam.mkv";
    Process server = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
        video.toString(), "-c", "copy", "-f", "matroska", "-listen", "1", url)
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    GatewayMetrics metrics = new GatewayMetrics();
    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topic,
        List.of(GatewayFixture.camera("http-1", url, 5)), GatewayFixture.settings(dir, 64), metrics)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (metrics.decodedCount("http-1") < 25) {
        assertThat(System.nanoTime()).as("waiting for the stream").isLessThan(deadline);
        Thread.sleep(50);
      }
      long start = System.nanoTime();
      long takenAtStart = taken(metrics, "http-1");
      Thread.sleep(8000);
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = (taken(metrics, "http-1") - takenAtStart) / seconds;
      System.out.printf("HttpStreamIT: %.2f frames/s taken over %.1f s at --fps 5; %s%n", rate, seconds,
          metrics.summary("http-1"));
      assertThat(rate).isBetween(4.5, 5.5);
      assertThat(metrics.droppedCounts("http-1").get(DropReason.FPS)).isPositive();
    } finally {
      server.destroyForcibly().waitFor();
    }
    assertThat(GatewayFixture.frames(KAFKA.bootstrapServers(), topic, 40, Duration.ofSeconds(10))).hasSizeGreaterThanOrEqualTo(40);
  }
}
