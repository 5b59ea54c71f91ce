package io.siamesestreams.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.ExternalPrograms;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RTSP stream on 127.0.0.1: Debian's {@code rtsp-server-perl} relays what Debian's {@code ffmpeg}
 * publishes (a Fashion-MNIST video, looped, at its own frame rate), and the gateway pulls it. The
 * server is down when the gateway starts, comes up, is killed and comes back.
 */
class RtspReconnectIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  /** The RTSP server and the publisher feeding it, as child processes. */
  private final class RtspServer implements AutoCloseable {
    private final Process server;
    private final Process publisher;

    RtspServer(Path video, int clientPort, int sourcePort, int rtpPort, int run) throws Exception {
      server = new ProcessBuilder("rtsp-server-perl", "--clientport", "" + clientPort, "--serverport", "" + sourcePort,
          "--client_listen_address", "127.0.0.1", "--source_listen_address", "127.0.0.1", "--rtp_start_port", "" + rtpPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("rtsp-server-" + run + ".log").toFile()).start();
      awaitPort(sourcePort);
      publisher = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
          video.toString(), "-c", "copy", "-f", "rtsp", "rtsp://127.0.0.1:" + sourcePort + "/cam")
          .redirectErrorStream(true).redirectOutput(dir.resolve("publisher-" + run + ".log").toFile()).start();
    }

    @Override
    public void close() throws InterruptedException {
      publisher.destroyForcibly().waitFor();
      server.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    awaitTrue(() -> {
      try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, Duration.ofSeconds(10), "port " + port + " to listen");
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void theGatewayWaitsForAServerThatIsNotUpYetAndReconnectsAfterTheServerRestarts() throws Exception {
    ExternalPrograms.require("ffmpeg", "ffmpeg");
    ExternalPrograms.require("rtsp-server-perl", "rtsp-server-perl");
    String topic = "frames-rtsp";
    GatewayFixture.createTopic(KAFKA.bootstrapServers(), topic);
    Path video = TestMedia.writeVideo(dir.resolve("loop.mp4"), TestMedia.fashionFrames(50, 320, 240), 25);
    int clientPort = freePort();
    int sourcePort = freePort();
    int rtpPort = 20_000 + 2 * (int) (ProcessHandle.current().pid() % 4000);
    GatewayMetrics metrics = new GatewayMetrics();
    CameraSettings camera = GatewayFixture.camera("gate-rtsp", "rtsp://127.0.0.1:" + clientPort + "/cam", 0);

    try (Gateway gateway = GatewayFixture.start(KAFKA.bootstrapServers(), topic, List.of(camera),
        GatewayFixture.settings(dir, 64), metrics)) {
      // No server yet: the gateway keeps retrying.
      Thread.sleep(1500);
      assertThat(metrics.upValue("gate-rtsp")).isZero();

      try (RtspServer first = new RtspServer(video, clientPort, sourcePort, rtpPort, 1)) {
        awaitTrue(() -> metrics.sentCount("gate-rtsp") >= 25, Duration.ofSeconds(30), "25 frames from the first server");
      }
      long sentBeforeRestart = metrics.sentCount("gate-rtsp");
      long reconnectsBefore = metrics.reconnectCount("gate-rtsp");
      awaitTrue(() -> metrics.upValue("gate-rtsp") == 0, Duration.ofSeconds(15), "the gateway to notice the drop");

      long restarted = System.nanoTime();
      try (RtspServer second = new RtspServer(video, clientPort, sourcePort, rtpPort, 2)) {
        awaitTrue(() -> metrics.sentCount("gate-rtsp") > sentBeforeRestart, Duration.ofSeconds(40),
            "a frame from the restarted server");
        System.out.printf("RtspReconnectIT: server restart to the first frame sent again: %d ms%n",
            (System.nanoTime() - restarted) / 1_000_000);
        awaitTrue(() -> metrics.sentCount("gate-rtsp") >= sentBeforeRestart + 25, Duration.ofSeconds(40),
            "25 frames from the restarted server");
        System.out.println("RtspReconnectIT: " + metrics.summary("gate-rtsp"));
      }
      assertThat(metrics.reconnectCount("gate-rtsp")).isGreaterThan(reconnectsBefore);
    }
    assertThat(GatewayFixture.frames(KAFKA.bootstrapServers(), topic, 50, Duration.ofSeconds(10))).hasSizeGreaterThanOrEqualTo(50);
  }
}
