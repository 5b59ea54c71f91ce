package io.siamesestreams.app;

import io.siamesestreams.api.ApiKeys;
import io.siamesestreams.api.ApiRoutes;
import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
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
 * {@code siamese.http.port} and {@code siamese.api.keys.file} are {@code --http-port} and {@code --api-keys}
 * (the command line wins). The HTTP server ({@link MetricsServer}) carries the metrics and probes, and
 * with API keys the API and console ({@link ApiRoutes}). Exit codes: 0 after a clean stop, 2 for a bad model bundle, bad arguments or
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

  @Option(names = "--processing-guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
      description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
  String processingGuarantee;

  /** Config-file key of {@code --http-port}. */
  public static final String HTTP_PORT_KEY = "siamese.http.port";
  /** Config-file key of {@code --api-keys}. */
  public static final String API_KEYS_FILE_KEY = "siamese.api.keys.file";

  @Option(names = {"--http-port", "--metrics-port"}, defaultValue = "" + MetricsServer.DEFAULT_PORT, paramLabel = "PORT",
      description = "The HTTP server: Prometheus /metrics, /ready (200 when RUNNING; alias /health), /live, and with"
          + " --api-keys the API (/api/v1) and the console (/); 0 = off (" + HTTP_PORT_KEY + "; --metrics-port is an"
          + " alias) (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--api-keys", paramLabel = "FILE",
      description = "Turns on the HTTP API and console: one key per line, <name>=<viewer|operator|enroller>:<SHA-256"
          + " hex of the key> (" + API_KEYS_FILE_KEY + "). Without it only /metrics and the probes are served.")
  Path apiKeysFile;

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
    ApiKeys apiKeys;
    try {
      if (!spec.commandLine().getParseResult().hasMatchedOption("--http-port")
          && kafkaSettings.all().containsKey(HTTP_PORT_KEY)) {
        metricsPort = Integer.parseInt(kafkaSettings.all().get(HTTP_PORT_KEY).strip());
      }
      if (apiKeysFile == null && kafkaSettings.all().containsKey(API_KEYS_FILE_KEY)) {
        apiKeysFile = Path.of(kafkaSettings.all().get(API_KEYS_FILE_KEY).strip());
      }
      apiKeys = apiKeysFile == null ? null : ApiKeys.load(apiKeysFile);
    } catch (NumberFormatException e) {
      err.println("siamese run: " + HTTP_PORT_KEY + " must be a port number: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("siamese run: bad --api-keys: " + e.getMessage());
      return 2;
    }
    if (apiKeys != null && metricsPort == 0) {
      err.println("siamese run: --api-keys needs the HTTP server; --http-port 0 turns it off");
      return 2;
    }
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
    ApiRoutes api = apiKeys == null ? null : service.apiRoutes(apiKeys);
    if (metricsPort != 0) {
      try {
        metricsServer = MetricsServer.start(metricsPort, metrics, service::state, service::deadStreamThreads,
            api == null ? ApiRoutes.disabled() : api);
      } catch (UncheckedIOException e) {
        err.println("siamese run: " + e.getMessage() + " (choose another --http-port, or 0 for none)");
        closeQuietly(api);
        service.close();
        return 2;
      }
      log.info("siamese run: metrics at http://0.0.0.0:{}{}, readiness at {}, liveness at {}", metricsServer.port(),
          MetricsServer.METRICS_PATH, MetricsServer.READY_PATH, MetricsServer.LIVE_PATH);
      if (api != null) {
        log.info("siamese run: API at {} ({} keys), console at /", ApiRoutes.BASE, apiKeys.size());
      }
    }
    MetricsServer server = metricsServer;
    Thread closer = new Thread(() -> {
      closeQuietly(server);
      closeQuietly(api);
      service.close();
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
      closeQuietly(metricsServer);
      closeQuietly(api);
      service.close();
      return 1;
    }
    return 0;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("siamese run: closing {} failed", closeable, e);
      }
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
        .withProcessingGuarantee(processingGuarantee);
    return stateDir == null ? settings : settings.withStateDir(stateDir);
  }
}
