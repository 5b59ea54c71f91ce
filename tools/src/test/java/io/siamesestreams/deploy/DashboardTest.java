package io.siamesestreams.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.testing.Dashboards;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard's structure; that its metrics exist is ObservabilityIT's job. */
class DashboardTest {

  @Test
  void shouldHaveThePanelsOperatorsWatch() {
    List<String> titles = Dashboards.panels(Dashboards.DASHBOARD).stream().map(p -> p.get("title").asText()).toList();

    assertThat(titles).contains("Frames in / events out per second", "End-to-end latency (frame timestamp to event)",
        "Embedding batch size", "Embedding batch latency", "Decisions over time", "Dead letters by reason",
        "Consumer lag (records)", "Gallery size", "JVM heap", "Model served", "Kafka Streams throughput",
        "Camera gateways", "Gateway frames per camera", "Gateway drops by reason", "Gateway capture-to-send lag",
        "Gateway cameras up, reconnects and send queue");
  }

  @Test
  void shouldGiveEveryPanelAtLeastOneQueryWithALegend() {
    for (JsonNode panel : Dashboards.panels(Dashboards.DASHBOARD)) {
      if (panel.path("type").asText().equals("row")) {
        continue; // a row only groups the panels below it
      }
      assertThat(panel.path("targets").size()).as("queries of %s", panel.get("title")).isPositive();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.path("expr").asText()).as("query of %s", panel.get("title")).isNotBlank();
        assertThat(target.path("legendFormat").asText()).as("legend of %s", panel.get("title")).isNotBlank();
      }
    }
  }

  @Test
  void shouldQueryLatencyPercentilesFromTheHistogramBuckets() {
    List<String> latency = Dashboards.panels(Dashboards.DASHBOARD).stream()
        .filter(p -> p.get("title").asText().startsWith("End-to-end latency"))
        .flatMap(p -> p.get("targets").findValuesAsText("expr").stream()).toList();

    assertThat(latency).hasSize(3).allSatisfy(q -> assertThat(q)
        .contains("siamese_end_to_end_latency_seconds_bucket").contains("by (le)"));
    assertThat(latency.stream().map(q -> q.substring(0, q.indexOf(',')))).containsExactly(
        "histogram_quantile(0.5", "histogram_quantile(0.95", "histogram_quantile(0.99");
  }

  @Test
  void shouldFindMetricNamesInPromQlButNotFunctionsLabelsOrRanges() {
    assertThat(Dashboards.metricNames(
        "histogram_quantile(0.95, sum by (le, mode) (rate(a_seconds_bucket{x=\"y_z\"}[$__rate_interval])))"))
        .containsExactly("a_seconds_bucket");
    assertThat(Dashboards.metricNames("sum(rate(b_total[5m])) / sum(rate(c_count[1m])) * 1e3 and on (job) up"))
        .containsExactly("b_total", "c_count", "up");
    assertThat(Dashboards.metricNames("max without (pod) (d{client_id=~\".*StreamThread-[0-9]+-consumer\"})"))
        .containsExactly("d");
    assertThat(Dashboards.sampleNames("# HELP x_total help\n# TYPE x_total counter\nx_total{a=\"b\"} 1.0\ny 2\n"))
        .containsExactly("x_total", "y");
  }
}
