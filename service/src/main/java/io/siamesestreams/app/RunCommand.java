package io.siamesestreams.app;

import io.siamesestreams.api.ApiKeys;
import io.siamesestreams.api.ApiRoutes;
import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siamese run}: runs the verification service until interrupted (Ctrl-C / SIGTERM closes it
 * cleanly, committing what was processed).
 *
 * <p>Every setting is defined once in {@link ServiceConfig}: its flags here ({@link ServiceConfig#FLAGS},
 * added to the command by {@link SettingFlags} with their help text and defaults from the
 * definitions), the {@code --config FILE} properties and {@code SIAMESE_*} environment variables all
 * set the same keys (flags win over the environment, which wins over the file). Keys not starting
 * with {@code siamese.} are Kafka client and Streams settings ({@link KafkaSettings}). Exit codes: 0
 * after a clean stop, 2 for a bad model bundle, bad arguments or a bad configuration (nothing was
 * consumed), 1 when the service failed while running. The instance's one HTTP server ({@link
 * MetricsServer}, {@code --http-port}, alias {@code --metrics-port}) carries the metrics and probes,
 * and with {@code --api-keys} the API and console ({@link ApiRoutes}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, modelTransformer = RunCommand.SettingFlags.class,
    description = "Run the streaming verification service (frames -> match events) until interrupted.",
    footer = {"", "Each flag sets the key in brackets; the same keys can be set in the --config file and as SIAMESE_*"
        + " environment variables (README.md, \"Settings\"). Flags win over the environment, the environment over"
        + " the file."})
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Java properties file: the service's siamese.* keys, its Kafka Streams keys and any Kafka client"
          + " setting (security.protocol, sasl.*, ssl.*, ...).")
  Path configFile;

  /** Adds one option per {@link ServiceConfig#FLAGS} entry, described by its definition. */
  public static final class SettingFlags implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
      for (ServiceConfig.Flag flag : ServiceConfig.FLAGS) {
        ConfigDef.ConfigKey key = ServiceConfig.DEFINITION.configKeys().get(flag.key());
        ServiceConfig.Flag first = ServiceConfig.flag(flag.key()).orElseThrow();
        String description = first.equals(flag) ? key.documentation : "The same as " + first.name() + ".";
        command.addOption(OptionSpec.builder(flag.name())
            .paramLabel(flag.paramLabel())
            .type(String.class)
            .description(description + " [" + flag.key() + "; default: " + ServiceConfig.defaultText(flag.key()) + "]")
            .build());
      }
      return command;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServiceSettings settings;
    try {
      settings = settings(System.getenv());
    } catch (ServiceConfig.InvalidSettingException e) {
      err.println("siamese run: bad configuration: " + e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      err.println("siamese run: " + e.getMessage());
      return 2;
    }
    log.info("siamese run: settings from flags, SIAMESE_* and --config (secrets hidden): {}", settings);
    int httpPort = settings.httpPort();
    ApiKeys apiKeys;
    try {
      apiKeys = settings.apiKeysFile() == null ? null : ApiKeys.load(settings.apiKeysFile());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("siamese run: bad configuration: " + ServiceConfig.API_KEYS_FILE + ": " + e.getMessage());
      return 2;
    }
    if (apiKeys != null && httpPort == 0) {
      err.println("siamese run: bad configuration: " + ServiceConfig.API_KEYS_FILE + " needs the HTTP server, but "
          + ServiceConfig.HTTP_PORT + " (--http-port) is 0");
      return 2;
    }
    ServiceMetrics metrics = httpPort == 0 ? ServiceMetrics.disabled() : ServiceMetrics.prometheus();
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
    if (httpPort != 0) {
      try {
        metricsServer = MetricsServer.start(httpPort, metrics, service::state, service::deadStreamThreads,
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

  /**
   * The settings of the flags given (after parsing), {@code environment} and the {@code --config} file.
   *
   * @throws ServiceConfig.InvalidSettingException naming the key and its source
   */
  public ServiceSettings settings(Map<String, String> environment) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (ServiceConfig.Flag flag : ServiceConfig.FLAGS) {
      String value = spec.findOption(flag.name()).getValue();
      if (value != null) {
        flags.put(flag.name(), value);
      }
    }
    return ServiceSettings.from(ServiceConfig.load(flags, configFile, environment));
  }
}
