package io.siamesestreams.cli;

import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code siamese broker}: a single-node KRaft Kafka broker in this process, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a single-node Apache Kafka broker (KRaft, broker + controller) in this process until Ctrl-C.",
      "Prints its bootstrap address on stdout. Topics are not created automatically: run `siamese topics apply`."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9092", description = "Client port (default ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(names = "--host", defaultValue = BrokerSettings.DEFAULT_HOST,
      description = "Address to bind and advertise (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--controller-port", defaultValue = "0", description = "KRaft controller port; 0 (default) picks a free one.")
  int controllerPort;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Log directory, kept across restarts; default: a temporary directory deleted on exit.")
  Path data;

  @Override
  public Integer call() {
    BrokerSettings settings = new BrokerSettings(host, port, controllerPort, data, Map.of());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    System.out.println("bootstrap: " + broker.bootstrapServers());
    System.out.println("data: " + broker.dataDirectory() + (data == null ? " (temporary)" : ""));
    System.out.println("Ctrl-C stops the broker.");
    System.out.flush();
    broker.awaitShutdown();
    return 0;
  }
}
