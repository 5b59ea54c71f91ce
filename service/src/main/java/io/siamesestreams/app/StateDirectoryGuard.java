package io.siamesestreams.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a state directory from being used against another Kafka cluster than the one it was filled
 * from.
 *
 * <p>Local stores and their checkpoints name offsets of the cluster that wrote them. Against a
 * recreated cluster on the same address (a wiped development broker, a restored backup) those offsets
 * do not exist, and Kafka Streams' global thread stops with {@code OffsetOutOfRangeException}. The
 * guard records the cluster id beside the application's state directory
 * ({@code <state.dir>/<application.id>.cluster-id}); when the broker reports another id, the
 * application's local state is deleted (it is rebuilt from the new cluster's topics) and the new id
 * recorded.
 */
final class StateDirectoryGuard {

  private static final Logger log = LoggerFactory.getLogger(StateDirectoryGuard.class);
  /** How long start-up waits for the Kafka cluster to answer. */
  static final Duration BROKER_WAIT = Duration.ofMinutes(5);

  private StateDirectoryGuard() {}

  /** The file that records the cluster of {@code applicationId}'s state under {@code stateDir}. */
  static Path clusterIdFile(Path stateDir, String applicationId) {
    return stateDir.resolve(applicationId + ".cluster-id");
  }

  /**
   * Whether the state directory was last used against another cluster than {@code clusterId} (the
   * caller then wipes it with {@code KafkaStreams.cleanUp()} before starting, and {@link #record}s
   * the new id). A directory without a record belongs to no other cluster.
   */
  static boolean belongsToAnotherCluster(Path stateDir, String applicationId, String clusterId) {
    Path file = clusterIdFile(stateDir, applicationId);
    try {
      String recorded = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
      if (recorded != null && !recorded.equals(clusterId)) {
        log.warn("state directory {} of application {} was written against cluster {}, the broker is cluster {}: "
            + "deleting the local state, it is rebuilt from this cluster's topics", stateDir, applicationId, recorded,
            clusterId);
        return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Records that the application's state under {@code stateDir} belongs to {@code clusterId}. */
  static void record(Path stateDir, String applicationId, String clusterId) {
    Path file = clusterIdFile(stateDir, applicationId);
    try {
      Files.createDirectories(stateDir);
      Files.writeString(file, clusterId + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the cluster id in " + file, e);
    }
  }

  /**
   * The broker's cluster id; waits for the cluster (a service may start before its broker) up to
   * {@link #BROKER_WAIT}, logging every 10 s.
   */
  static String clusterId(Admin admin, Object bootstrapServers) {
    long deadline = System.nanoTime() + BROKER_WAIT.toNanos();
    try {
      while (true) {
        try {
          return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no Kafka cluster answered at " + bootstrapServers + " within "
                + BROKER_WAIT.toMinutes() + " min: " + e, e);
          }
          log.info("waiting for the Kafka cluster at {} ({})", bootstrapServers,
              e.getCause() == null ? e : e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the cluster id", e);
    }
  }

}
