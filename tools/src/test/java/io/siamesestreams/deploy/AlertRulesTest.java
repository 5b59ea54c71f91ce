package io.siamesestreams.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.testing.AlertRules;
import io.siamesestreams.testing.Dashboards;
import io.siamesestreams.testing.ExternalPrograms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code prometheus/alerts.yml}: valid for Prometheus ({@code promtool check
 * rules}), behaving as their unit tests say ({@code promtool test rules
 * prometheus/alerts-test.yml}: each alert fires on synthetic series where it must and stays silent
 * where it must not), documented (summary, description, a runbook section in
 * docs/OBSERVABILITY.md) and loaded by the compose Prometheus. {@code promtool} comes from Debian's
 * {@code prometheus} package; where it is absent the promtool tests are reported skipped.
 */
class AlertRulesTest {

  private static final Path REPO = Dashboards.REPOSITORY.toAbsolutePath().normalize();
  private static final String PROMTOOL = "promtool";

  private static final List<String> REQUIRED_ALERTS = List.of(
      "SiameseServiceDown", "SiameseServiceNotRunning", "SiameseConsumerLagGrowing", "SiameseLatencySloBreached",
      "SiameseDeadLettersHigh", "SiameseFramesWithoutEvents", "SiameseGalleryShrank", "SiameseNoFaceShareHigh",
      "SiameseModelChanged", "SiameseGatewayCameraDown");

  @Test
  void shouldPassPromtoolsRuleCheck() throws Exception {
    String output = promtool("check", "rules", AlertRules.RULES.toAbsolutePath().normalize().toString());
    assertThat(output).contains("SUCCESS: " + AlertRules.alerts().size() + " rules found");
  }

  @Test
  void shouldPassEveryPromtoolUnitTestOfTheAlerts() throws Exception {
    String output = promtool("test", "rules", AlertRules.RULE_TESTS.toAbsolutePath().normalize().toString());
    assertThat(output).contains("SUCCESS");
  }

  @Test
  void shouldDefineTheAlertsTheOperatorsRelyOn() {
    assertThat(AlertRules.alerts()).extracting(alert -> alert.get("alert").asText())
        .containsExactlyInAnyOrderElementsOf(REQUIRED_ALERTS);
  }

  @Test
  void shouldGiveEveryAlertASummaryADescriptionASeverityAndARunbookSection() throws Exception {
    String observability = Files.readString(REPO.resolve("docs/OBSERVABILITY.md"));
    for (JsonNode alert : AlertRules.alerts()) {
      String name = alert.get("alert").asText();
      JsonNode annotations = alert.get("annotations");
      assertThat(annotations.path("summary").asText()).as("%s summary", name).isNotBlank();
      assertThat(annotations.path("description").asText()).as("%s description", name).isNotBlank();
      assertThat(alert.path("labels").path("severity").asText()).as("%s severity", name).isIn("page", "ticket");
      assertThat(annotations.path("runbook").asText()).as("%s runbook link", name)
          .isEqualTo("docs/OBSERVABILITY.md#" + name.toLowerCase(Locale.ROOT));
      assertThat(observability).as("runbook section of %s in docs/OBSERVABILITY.md", name)
          .containsPattern("(?m)^### " + name + "$");
    }
  }

  @Test
  void shouldTestEveryAlertBothFiringAndSilent() {
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (JsonNode test : AlertRules.read(AlertRules.RULE_TESTS).get("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? silent : firing).add(check.get("alertname").asText());
      }
    }
    assertThat(firing).as("alerts with a firing unit test").containsAll(REQUIRED_ALERTS);
    assertThat(silent).as("alerts with a silent unit test").containsAll(REQUIRED_ALERTS);
  }

  @Test
  void shouldBeLoadedByTheComposePrometheus() throws Exception {
    JsonNode prometheus = AlertRules.read(REPO.resolve("prometheus/prometheus.yml"));
    assertThat(prometheus.get("rule_files")).extracting(JsonNode::asText).contains("alerts.yml");
    JsonNode compose = AlertRules.read(REPO.resolve("docker-compose.yml"));
    assertThat(compose.at("/services/prometheus/volumes")).extracting(JsonNode::asText)
        .contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
            "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
  }

  /** Runs promtool in {@code prometheus/}; skips the test when it is not installed, fails on a non-zero exit. */
  private static String promtool(String... args) throws Exception {
    Path binary = ExternalPrograms.require(PROMTOOL, "prometheus");
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(REPO.resolve("prometheus").toFile())
        .redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished within 60 s").isTrue();
    assertThat(process.exitValue()).as("%s %s:%n%s", PROMTOOL, String.join(" ", args), output).isZero();
    return output;
  }
}
