package io.siamesestreams.metrics;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The answers of the service's probes, from the Kafka Streams client state and the number of its
 * stream threads that have died:
 *
 * <ul>
 *   <li>liveness ({@code /live}, Kubernetes {@code livenessProbe}): the process serves and its stream
 *       threads are alive. Not live only when a stream thread has died or the client has stopped for
 *       good: {@code PENDING_SHUTDOWN}, {@code NOT_RUNNING}, {@code PENDING_ERROR}, {@code ERROR}.
 *       {@code CREATED}, {@code REBALANCING} and {@code RUNNING} are live: a rebalance must never
 *       restart a pod;
 *   <li>readiness ({@code /ready}, alias {@code /health}; Kubernetes {@code readinessProbe}): the
 *       client is {@code RUNNING} (joined, tasks assigned, state restored).
 * </ul>
 *
 * A null state means the service is not started yet: not ready, and live (start-up is in
 * progress; a failed start-up ends the process).
 */
public final class Probes {

  /** Client states from which Kafka Streams never returns to RUNNING. */
  static final Set<KafkaStreams.State> STOPPED = EnumSet.of(KafkaStreams.State.PENDING_SHUTDOWN,
      KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);

  /** An HTTP answer: status and a one-line body. */
  public record Answer(int status, String body) {}

  private Probes() {}

  /** {@code 200 live} or {@code 503 not live: <why>}. */
  public static Answer liveness(KafkaStreams.State state, int deadStreamThreads) {
    if (state != null && STOPPED.contains(state)) {
      return new Answer(503, "not live: " + state.name() + "\n");
    }
    if (deadStreamThreads > 0) {
      return new Answer(503, "not live: " + deadStreamThreads + " stream thread(s) died\n");
    }
    return new Answer(200, "live\n");
  }

  /** {@code 200 ready} when RUNNING, otherwise {@code 503 not ready: <STATE>} ({@code STARTING} for null). */
  public static Answer readiness(KafkaStreams.State state) {
    if (state == KafkaStreams.State.RUNNING) {
      return new Answer(200, "ready\n");
    }
    return new Answer(503, "not ready: " + (state == null ? "STARTING" : state.name()) + "\n");
  }
}
