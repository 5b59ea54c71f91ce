package io.siamesestreams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the shipped Prometheus alert rules ({@code prometheus/alerts.yml}). */
public final class AlertRules {

  public static final Path RULES = Dashboards.REPOSITORY.resolve("prometheus/alerts.yml");
  public static final Path RULE_TESTS = Dashboards.REPOSITORY.resolve("prometheus/alerts-test.yml");
  /** Series Prometheus itself writes for every target (not served on {@code /metrics}). */
  public static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  private AlertRules() {}

  /** Every alerting rule of every group, in file order. */
  public static List<JsonNode> alerts() {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : read(RULES).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule);
        }
      }
    }
    return alerts;
  }

  /** The metric names the alert expressions select that the service serves (without {@code up}). */
  public static Set<String> serviceMetricNames() {
    Set<String> names = new TreeSet<>();
    alerts().forEach(alert -> names.addAll(Dashboards.metricNames(alert.get("expr").asText())));
    names.removeAll(PROMETHEUS_SERIES);
    return names;
  }

  public static JsonNode read(Path yaml) {
    try {
      return new YAMLMapper().readTree(yaml.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml, e);
    }
  }
}
