package io.siamesestreams.gateway.cli;

import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.gateway.Gateway;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.camera.CameraWorker;
import io.siamesestreams.gateway.camera.CamerasFile;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.gateway.metrics.MetricsEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code siamese gateway}: decodes one camera ({@code --camera} + {@code --source}) or several
 * ({@code --cameras FILE}) and produces the frames that pass the gate to the {@code frames} topic.
 * Ends by itself when every source is a file or folder (exit 1 when one was corrupt), otherwise on
 * SIGTERM/SIGINT, after sending what is queued.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A camera gateway: decodes RTSP/HTTP streams, video files, V4L2 devices (/dev/videoN) or folders of images"
          + " with FFmpeg, samples and quality-gates the frames (optionally sending face crops found at the edge),"
          + " and produces them to the frames topic (key: the camera id; idempotent, acks=all).",
      "With --cameras FILE the flags below are the defaults of every camera in the file."
    })
public final class GatewayCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--camera", paramLabel = "ID", description = "Camera id (the record key).")
  String camera;

  @Option(names = "--source", paramLabel = "SRC",
      description = "rtsp://…, http(s)://…, a video file (mp4, mkv, avi, …), /dev/videoN, or a folder of images.")
  String source;

  @Option(names = "--cameras", paramLabel = "FILE",
      description = "YAML or JSON file listing cameras (id, source, claim, fps, detect-faces, align-faces, min-face,"
          + " min-sharpness, min-score, best-shot, face-margin, realtime, loop); instead of --camera/--source.")
  Path camerasFile;

  @Option(names = "--claim", paramLabel = "ID", description = "Identity every frame claims (1:1 verify); omit to identify.")
  String claim;

  @Option(names = "--fps", defaultValue = "5", paramLabel = "N",
      description = "Most frames taken per second of the source's clock (media time of files, wall clock of streams;"
          + " default ${DEFAULT-VALUE}; 0 = all). Without --detect-faces also the most frames sent per second.")
  double fps;

  @Option(names = "--detect-faces",
      description = "Detect faces at the edge (face-api's tiny face detector) and send each face as a crop plus its"
          + " faceBox, so the service skips detection.")
  boolean detectFaces;

  @Option(names = "--align-faces",
      description = "With --detect-faces: send each face as its aligned 150x150 chip (face-api's landmarks and"
          + " alignment at the edge; needs --face-model with face-landmarks/) with aligned: true, so the service skips"
          + " landmarks and alignment too.")
  boolean alignFaces;

  @Option(names = "--min-face", defaultValue = "0", paramLabel = "PX",
      description = "Drop faces whose shorter side is under PX pixels (needs --detect-faces).")
  int minFace;

  @Option(names = {"--min-sharpness", "--max-blur"}, defaultValue = "0", paramLabel = "X",
      description = "Drop frames (faces with --detect-faces) whose sharpness, the variance of the Laplacian of the grey"
          + " image (0..255 levels), is under X: lower = blurrier. --max-blur X is the same setting (the most blur"
          + " accepted, as a minimum sharpness). 0 = no check.")
  double minSharpness;

  @Option(names = "--min-score", defaultValue = "0", paramLabel = "S",
      description = "Drop faces whose detector score is under S, 0..1 (the detector itself keeps > 0.5).")
  double minScore;

  @Option(names = "--best-shot", defaultValue = "2", paramLabel = "SECONDS",
      description = "With --detect-faces: send one face per face track (IoU-tracked boxes) per SECONDS, the sharpest"
          + " (default ${DEFAULT-VALUE}); 0 = every face.")
  double bestShotSeconds;

  @Option(names = "--face-margin", defaultValue = "0.4", paramLabel = "F",
      description = "Margin around a face box in its crop, per side, as a fraction of the box's larger side (default"
          + " ${DEFAULT-VALUE}).")
  double faceMargin;

  @Option(names = "--face-model", defaultValue = "models/faces", paramLabel = "DIR",
      description = "Face models written by ./siamese convert (face-detector/ inside); default ${DEFAULT-VALUE}.")
  Path faceModel;

  @Option(names = "--realtime", description = "Play files and folders at their own frame rate, like a live camera.")
  boolean realtime;

  @Option(names = "--loop", description = "Start files and folders again at their end.")
  boolean loop;

  @Option(names = "--queue", defaultValue = "64", paramLabel = "N",
      description = "Frames the send queue holds while the broker is slow or down; then the oldest is dropped"
          + " (default ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--retry-initial-ms", defaultValue = "500", paramLabel = "MS",
      description = "First wait before reconnecting a stream (doubled per failure; default ${DEFAULT-VALUE}).")
  long retryInitialMillis;

  @Option(names = "--retry-max-ms", defaultValue = "30000", paramLabel = "MS",
      description = "Longest wait between reconnection attempts (default ${DEFAULT-VALUE}).")
  long retryMaxMillis;

  @Option(names = "--io-timeout-ms", defaultValue = "5000", paramLabel = "MS",
      description = "A stream silent this long counts as dropped (default ${DEFAULT-VALUE}).")
  long ioTimeoutMillis;

  @Option(names = "--drain-ms", defaultValue = "10000", paramLabel = "MS",
      description = "On exit, time allowed to send what is queued and flush (default ${DEFAULT-VALUE}).")
  long drainMillis;

  @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Serve Prometheus metrics on /metrics at PORT (0 = any free port; default: off).")
  int metricsPort;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The cameras to run: the file's, or the one given by {@code --camera}/{@code --source}. */
  List<CameraSettings> cameras() {
    CameraSettings flags = new CameraSettings(camera, source, claim, fps, detectFaces, minFace, minSharpness, minScore,
        bestShotSeconds, faceMargin, realtime, loop, alignFaces);
    if (camerasFile != null) {
      if (camera != null || source != null) {
        throw new IllegalArgumentException("give either --cameras FILE or --camera with --source, not both");
      }
      return CamerasFile.read(camerasFile, flags);
    }
    if (camera == null || source == null) {
      throw new IllegalArgumentException("give --camera ID and --source SRC, or --cameras FILE");
    }
    return List.of(flags.validated());
  }

  Gateway.Settings gatewaySettings() {
    if (retryInitialMillis < 1 || retryMaxMillis < retryInitialMillis) {
      throw new IllegalArgumentException("need 1 <= --retry-initial-ms <= --retry-max-ms");
    }
    return new Gateway.Settings(faceModel, queue, new CameraWorker.Backoff(retryInitialMillis, retryMaxMillis),
        ioTimeoutMillis * 1000, Duration.ofMillis(drainMillis));
  }

  @Override
  public Integer call() throws Exception {
    List<CameraSettings> cameras = cameras();
    Gateway.Settings settings = gatewaySettings();
    KafkaSettings kafkaSettings = kafka.settings();
    String topic = kafka.topics().frames().name();
    GatewayMetrics metrics = new GatewayMetrics();
    MetricsEndpoint endpoint = metricsPort >= 0 ? MetricsEndpoint.start(metricsPort, metrics) : null;
    if (endpoint != null) {
      System.err.println("gateway: metrics on http://0.0.0.0:" + endpoint.port() + "/metrics");
    }
    Gateway gateway = Gateway.start(cameras, settings, KafkaClients.producer(kafkaSettings, "siamese-gateway"), topic,
        metrics);
    Thread hook = new Thread(() -> {
      stopped.countDown();
      shutDown(gateway, metrics, cameras, endpoint);
    }, "gateway-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // Ends when every camera has ended (files), or waits for SIGTERM/SIGINT (the hook stops the gateway).
    while (!gateway.awaitCameras(Duration.ofSeconds(1))) {
      if (stopped.getCount() == 0) {
        Thread.sleep(Long.MAX_VALUE);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM arrived as the last camera ended: the hook is already stopping the gateway.
      Thread.sleep(Long.MAX_VALUE);
    }
    shutDown(gateway, metrics, cameras, endpoint);
    return gateway.anyFailed() ? 1 : 0;
  }

  private static synchronized void shutDown(Gateway gateway, GatewayMetrics metrics, List<CameraSettings> cameras,
      MetricsEndpoint endpoint) {
    gateway.close();
    for (CameraSettings camera : cameras) {
      System.err.println("gateway: camera " + camera.id() + ": " + metrics.summary(camera.id()));
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }
}
