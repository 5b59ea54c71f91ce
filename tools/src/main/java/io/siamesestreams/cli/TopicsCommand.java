package io.siamesestreams.cli;

import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code siamese topics}: topic administration from the {@code topics/} definitions. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Topic administration from the topics/ definitions.",
    subcommands = {TopicsCommand.Apply.class})
public final class TopicsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code siamese topics apply}: create missing topics, verify existing ones. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Creates the declared topics that do not exist and verifies those that do (idempotent).",
        "Prints one line per topic: CREATED, OK or MISMATCH (with the differences). Exit status 2 on a mismatch;"
            + " existing topics are never changed."
      })
  public static final class Apply implements Callable<Integer> {

    @Mixin KafkaOptions kafka;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Folder of topic definitions; default ./topics when present, else the copy inside the jar.")
    Path directory;

    @Option(names = "--replication-factor", paramLabel = "N",
        description = "Replication factor for created topics; default: as declared, else the broker's default.")
    Short replicationFactor;

    @Override
    public Integer call() {
      KafkaSettings settings = kafka.settings();
      settings.requireBootstrapServers();
      TopicCatalog catalog = TopicCatalog.locate(directory).renamed(kafka.topics());
      if (replicationFactor != null) {
        catalog = catalog.withReplicationFactor(replicationFactor);
      }
      try (Admin admin = Admin.create(settings.forAdmin())) {
        List<TopicsApplier.Result> results = new TopicsApplier(admin, Duration.ofSeconds(30)).apply(catalog.specs());
        results.forEach(System.out::println);
        return TopicsApplier.allConsistent(results) ? 0 : 2;
      }
    }
  }
}
