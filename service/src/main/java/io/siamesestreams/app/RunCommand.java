package io.siamesestreams.app;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.topology.Topics;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siamese run}: runs the verification service until interrupted (Ctrl-C / SIGTERM closes it
 * cleanly, committing what was processed).
 *
 * <p>Kafka client settings come from {@code --config FILE} (Java properties, keys as Kafka names
 * them) and {@code SIAMESE_KAFKA_*} environment variables ({@link KafkaSettings}); keys starting
 * with {@code siamese.} are the service's own: {@code siamese.topic.frames}, … rename the topics
 * ({@link Topics}); {@code siamese.decision.threshold} and {@code siamese.camera.<cameraId>.threshold}
 * set the decision thresholds of the deployment and of single cameras ({@link ThresholdOverrides});
 * {@value ExecutionProvider#SETTING} ({@code cpu} or {@code cuda}) where ONNX Runtime runs the nets. Exit codes: 0 after a clean stop, 2 for a bad model bundle, bad arguments or
 * a bad Kafka configuration (nothing was consumed), 1 when the service failed while running.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the streaming verification service (frames -> match events) until interrupted.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  /** Prefix of the service's own keys in the config file; they are not passed to Kafka. */
  public static final String SERVICE_KEY_PREFIX = "siamese.";

  @Spec
  CommandSpec spec;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (or bootstrap.servers in --config, or SIAMESE_KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrap;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model bundle directory (model.json, encoder.onnx, head.onnx).")
  Path modelDir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Java properties file: Kafka client/Streams settings, siamese.topic.* topic names,"
          + " siamese.decision.threshold and siamese.camera.<cameraId>.threshold decision thresholds.")
  Path configFile;

  @Option(names = "--threshold", paramLabel = "DISTANCE",
      description = "Decision threshold of this deployment, over the bundle's (siamese.decision.threshold; wins over"
          + " --config). A camera's own comes from siamese.camera.<cameraId>.threshold in --config.")
  Double threshold;

  @Option(names = "--application-id", defaultValue = ServiceSettings.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application.id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Kafka Streams state directory (default: <tmp>/siamese-streams).")
  Path stateDir;

  @Option(names = "--batch-size", defaultValue = "" + ServiceSettings.DEFAULT_BATCH_SIZE,
      description = "Frames per batch, at most; one ONNX Runtime call per batch (a face model: every face of its"
          + " frames) (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--max-wait-ms", defaultValue = "20",
      description = "Longest a frame waits for its batch, ms (default: ${DEFAULT-VALUE}).")
  long maxWaitMs;

  @Option(names = "--top-k", defaultValue = "" + ServiceSettings.DEFAULT_TOP_K,
      description = "Identify candidates per event (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--dedupe-window-ms", defaultValue = "600000",
      description = "Dead-letter a frame id seen again within this many ms of record time; 0 = off"
          + " (default: ${DEFAULT-VALUE}).")
  long dedupeWindowMs;

  @Option(names = "--stream-threads", defaultValue = "1",
      description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(names = "--onnx-threads",
      description = "ONNX Runtime intra-op threads; 0 = ONNX Runtime's default, one per core (default: 1 on a"
          + " machine with at most 2 cores, else 0; here ${DEFAULT-VALUE}).")
  int onnxThreads = ServiceSettings.defaultOnnxIntraOpThreads();

  @Option(names = "--execution-provider", paramLabel = "cpu|cuda",
      description = "Where ONNX Runtime runs the encoder and the face nets: cpu, or cuda (needs the -Pgpu build, an"
          + " NVIDIA GPU, CUDA 12 and cuDNN 9); wins over " + ExecutionProvider.SETTING + " in --config (default: cpu).")
  String executionProvider;

  @Option(names = "--processing-guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
      description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
  String processingGuarantee;

  @Option(names = "--metrics-port", defaultValue = "" + MetricsServer.DEFAULT_PORT, paramLabel = "PORT",
      description = "Serve Prometheus /metrics, /ready (200 when RUNNING; alias /health) and /live on this port; 0 = off"
          + " (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServiceSettings settings;
    KafkaSettings kafkaSettings;
    try {
      kafkaSettings = KafkaSettings.load(bootstrap, configFile);
      settings = settings(kafkaSettings);
    } catch (ThresholdOverrides.InvalidThresholdException e) {
      err.println("siamese run: bad threshold: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("siamese run: " + e.getMessage());
      return 2;
    }
    log.info("siamese run: Kafka settings from --config and SIAMESE_KAFKA_* (secrets hidden): {}", kafkaSettings);
    ServiceMetrics metrics = metricsPort == 0 ? ServiceMetrics.disabled() : ServiceMetrics.prometheus();
    SiameseService service;
    try {
      service = SiameseService.start(settings, metrics);
    } catch (BundleValidationException e) {
      err.println("siamese run: bad model bundle: " + e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("siamese run: bad Kafka configuration: " + e.getMessage());
      return 2;
    } catch (ThresholdOverrides.InvalidThresholdException e) {
      err.println("siamese run: bad threshold: " + e.getMessage());
      return 2;
    } catch (GalleryUpgrade.GalleryUpgradeException e) {
      err.println("siamese run: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println("siamese run: cannot start: " + e.getMessage());
      return 2;
    }
    MetricsServer metricsServer = null;
    if (metricsPort != 0) {
      try {
        metricsServer = MetricsServer.start(metricsPort, metrics, service::state, service::deadStreamThreads);
      } catch (UncheckedIOException e) {
        err.println("siamese run: " + e.getMessage() + " (choose another --metrics-port, or 0 for none)");
        service.close();
        return 2;
      }
      log.info("siamese run: metrics at http://0.0.0.0:{}{}, readiness at {}, liveness at {}", metricsServer.port(),
          MetricsServer.METRICS_PATH, MetricsServer.READY_PATH, MetricsServer.LIVE_PATH);
    }
    MetricsServer server = metricsServer;
    Thread closer = new Thread(() -> {
      service.close();
      closeQuietly(server);
    }, "siamese-run-shutdown");
    Runtime.getRuntime().addShutdownHook(closer);
    while (!service.awaitStopped(Duration.ofSeconds(1))) {
      // Runs until the shutdown hook closes the service or a stream thread fails.
    }
    if (service.failure() != null) {
      err.println("siamese run: service failed: " + service.failure());
      try {
        Runtime.getRuntime().removeShutdownHook(closer);
      } catch (IllegalStateException shuttingDown) {
        return 1;
      }
      service.close();
      closeQuietly(metricsServer);
      return 1;
    }
    return 0;
  }

  private static void closeQuietly(MetricsServer server) {
    if (server != null) {
      server.close();
    }
  }

  /** The service settings for these options and Kafka settings (visible for tests). */
  ServiceSettings settings(KafkaSettings kafka) {
    String servers = kafka.requireBootstrapServers();
    Properties clientProperties = new Properties();
    for (Map.Entry<String, String> entry : kafka.all().entrySet()) {
      if (!entry.getKey().startsWith(SERVICE_KEY_PREFIX)) {
        clientProperties.put(entry.getKey(), entry.getValue());
      }
    }
    ThresholdOverrides thresholds = ThresholdOverrides.fromConfig(kafka.all());
    if (threshold != null) {
      thresholds = thresholds.withDeployment(threshold);
    }
    ServiceSettings settings = ServiceSettings.defaults(servers, modelDir)
        .withKafkaProperties(clientProperties)
        .withTopics(Topics.defaults().withOverrides(kafka.all()))
        .withThresholds(thresholds)
        .withApplicationId(applicationId)
        .withBatching(batchSize, Duration.ofMillis(maxWaitMs))
        .withTopK(topK)
        .withDedupeWindow(Duration.ofMillis(dedupeWindowMs))
        .withThreads(streamThreads, onnxThreads)
        .withProcessingGuarantee(processingGuarantee)
        .withExecutionProvider(ExecutionProvider.parse(executionProvider != null ? executionProvider
            : kafka.all().getOrDefault(ExecutionProvider.SETTING, ExecutionProvider.CPU.setting())));
    return stateDir == null ? settings : settings.withStateDir(stateDir);
  }
}
