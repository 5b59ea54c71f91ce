package io.siamesestreams.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the declared topics that do not exist and verifies those that do. Idempotent: a second
 * run reports every topic {@link Outcome#OK}. It never alters or deletes an existing topic; a
 * difference (partition count, replication factor, a config value) is reported as {@link
 * Outcome#MISMATCH} for a person to resolve.
 */
public final class TopicsApplier {

  /** What happened to one topic. */
  public enum Outcome {
    /** The topic did not exist and was created as declared. */
    CREATED,
    /** The topic exists and matches its declaration. */
    OK,
    /** The topic exists and differs from its declaration (see the differences). */
    MISMATCH
  }

  /**
   * @param topic the topic name
   * @param outcome created, ok or mismatch
   * @param differences for a mismatch, one line per difference: {@code partitions: declared 3, actual 1}
   */
  public record Result(String topic, Outcome outcome, List<String> differences) {
    public Result {
      differences = List.copyOf(differences);
    }

    /** {@code frames: CREATED} or {@code frames: MISMATCH (partitions: declared 3, actual 1)}. */
    @Override
    public String toString() {
      return topic + ": " + outcome + (differences.isEmpty() ? "" : " (" + String.join("; ", differences) + ")");
    }
  }

  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin an open Admin client (not closed by this class)
   * @param timeout bound on each broker request
   */
  public TopicsApplier(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Applies every definition, in order; one result per topic. */
  public List<Result> apply(Collection<TopicSpec> specs) {
    Set<String> existing = await(admin.listTopics().names());
    List<Result> results = new ArrayList<>();
    for (TopicSpec spec : specs) {
      if (!existing.contains(spec.name()) && create(spec)) {
        results.add(new Result(spec.name(), Outcome.CREATED, List.of()));
      } else {
        List<String> differences = verify(spec);
        results.add(new Result(spec.name(), differences.isEmpty() ? Outcome.OK : Outcome.MISMATCH, differences));
      }
    }
    return results;
  }

  /** Whether every result is CREATED or OK. */
  public static boolean allConsistent(List<Result> results) {
    return results.stream().noneMatch(result -> result.outcome() == Outcome.MISMATCH);
  }

  /** @return false when another client created the topic first */
  private boolean create(TopicSpec spec) {
    NewTopic topic =
        new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.ofNullable(spec.replicationFactor()))
            .configs(spec.topicConfigs());
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(spec.name());
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new IllegalStateException("cannot create topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + spec.name(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topic " + spec.name() + " timed out after " + timeout, e);
    }
  }

  /**
   * Waits until every partition of a new topic has a leader, so that clients started right after
   * {@link #apply} (the demo, the tests) can use it at once.
   */
  private TopicDescription awaitLeaders(String name) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        TopicDescription description =
            admin.describeTopics(List.of(name)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(name);
        if (description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
          return description;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("cannot describe " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing " + name, e);
      } catch (TimeoutException e) {
        // retried below until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + name + " has no leader after " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing " + name, e);
      }
    }
  }

  private List<String> verify(TopicSpec spec) {
    TopicDescription description = awaitLeaders(spec.name());
    List<String> differences = new ArrayList<>();
    int partitions = description.partitions().size();
    if (partitions != spec.partitions()) {
      differences.add("partitions: declared " + spec.partitions() + ", actual " + partitions);
    }
    if (spec.replicationFactor() != null) {
      int replicas = description.partitions().get(0).replicas().size();
      if (replicas != spec.replicationFactor()) {
        differences.add("replication factor: declared " + spec.replicationFactor() + ", actual " + replicas);
      }
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
    Config actual = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
    Map<String, String> deployed = new HashMap<>();
    actual.entries().forEach(entry -> deployed.put(entry.name(), entry.value()));
    differences.addAll(ErasureBound.violations(spec, deployed));
    for (Map.Entry<String, String> declared : spec.topicConfigs().entrySet()) {
      if (ErasureBound.governs(spec, declared.getKey())) {
        continue; // compared by ErasureBound: lower than declared is fine, higher is not
      }
      ConfigEntry entry = actual.get(declared.getKey());
      String value = entry == null ? null : entry.value();
      if (!declared.getValue().equals(value)) {
        differences.add(declared.getKey() + ": declared " + declared.getValue() + ", actual " + value);
      }
    }
    return differences;
  }

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("broker request failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("broker request timed out after " + timeout, e);
    }
  }
}
