package io.siamesestreams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Grafana dashboard and the metric names its PromQL queries use, and the sample
 * names of a Prometheus text scrape: what the "no dead panels" tests compare.
 */
public final class Dashboards {

  /** The repository root, seen from the streams module (Maven runs tests there). */
  public static final Path REPOSITORY = Path.of("..");
  public static final Path DASHBOARD = REPOSITORY.resolve("grafana/dashboards/siamese-streams.json");

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

  private Dashboards() {}

  /** The dashboard's panels (rows flattened). */
  public static List<JsonNode> panels(Path dashboard) {
    JsonNode root = read(dashboard);
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** Every {@code targets[].expr} of every panel, in panel order. */
  public static List<String> queries(Path dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          queries.add(target.get("expr").asText());
        }
      }
    }
    return queries;
  }

  /**
   * The metric names a PromQL expression selects: identifiers that are not functions (followed by
   * {@code (}), keywords, label names (inside {@code {…}} or a {@code by (…)} clause), durations or
   * Grafana variables (inside {@code […]}), or string literals.
   */
  public static Set<String> metricNames(String promql) {
    String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*\\}", " ")
        .replaceAll("\\[[^\\]]*\\]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      if (m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.')) {
        continue; // the exponent or tail of a number, e.g. 1e3
      }
      String rest = s.substring(m.end()).stripLeading();
      if (rest.startsWith("(") || KEYWORDS.contains(m.group().toLowerCase())) {
        continue;
      }
      names.add(m.group());
    }
    return names;
  }

  /** Every metric name used by any query of the dashboard, sorted. */
  public static Set<String> metricNames(Path dashboard) {
    Set<String> names = new TreeSet<>();
    queries(dashboard).forEach(q -> names.addAll(metricNames(q)));
    return names;
  }

  /** The sample names of a Prometheus text exposition (comments skipped), sorted. */
  public static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  public static JsonNode read(Path json) {
    try {
      return new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json, e);
    }
  }
}
