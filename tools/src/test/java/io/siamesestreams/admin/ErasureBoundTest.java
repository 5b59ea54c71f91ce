package io.siamesestreams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.topology.Topics;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The erasure-bound rule of {@code topics apply} on the shipped definitions of topics/. */
class ErasureBoundTest {

  private final TopicCatalog catalog = TopicCatalog.bundled();
  private final TopicSpec identities = catalog.spec(Topics.DEFAULT_IDENTITIES);
  private final TopicSpec templates = catalog.spec(Topics.DEFAULT_IDENTITY_TEMPLATES);

  private static Map<String, String> deployedAs(TopicSpec spec) {
    return new HashMap<>(spec.topicConfigs());
  }

  @Test
  void shouldBoundTheTopicsThatHoldImagesAndTemplates() {
    assertThat(ErasureBound.applies(identities)).isTrue();
    assertThat(ErasureBound.applies(templates)).isTrue();
    assertThat(ErasureBound.applies(catalog.spec(Topics.DEFAULT_FRAMES))).as("frames: retention, not compaction")
        .isFalse();
  }

  @Test
  void shouldAcceptATopicDeployedAsDeclared() {
    assertThat(ErasureBound.violations(identities, deployedAs(identities))).isEmpty();
    assertThat(ErasureBound.violations(templates, deployedAs(templates))).isEmpty();
  }

  @Test
  void shouldAcceptATighterBoundThanDeclared() {
    Map<String, String> tighter = deployedAs(identities);
    tighter.put("segment.ms", "10000");
    tighter.put("max.compaction.lag.ms", "10000");

    assertThat(ErasureBound.violations(identities, tighter)).isEmpty();
  }

  @Test
  void shouldReportATopicWithTheBrokersWeekLongSegmentsAsBreakingTheBound() {
    Map<String, String> brokerDefaults = deployedAs(identities);
    brokerDefaults.put("segment.ms", "604800000");
    brokerDefaults.put("max.compaction.lag.ms", Long.toString(Long.MAX_VALUE));

    assertThat(ErasureBound.violations(identities, brokerDefaults)).containsExactly(
        "segment.ms: declared 60000, actual 604800000 (breaks the erasure bound: erased records would stay"
            + " readable or on disk longer)",
        "max.compaction.lag.ms: declared 60000, actual " + Long.MAX_VALUE + " (breaks the erasure bound: erased"
            + " records would stay readable or on disk longer)");
  }

  @Test
  void shouldReportAMissingOrUnreadableSetting() {
    Map<String, String> deployed = deployedAs(templates);
    deployed.remove("file.delete.delay.ms");
    deployed.put("segment.ms", "soon");

    assertThat(ErasureBound.violations(templates, deployed))
        .anyMatch(line -> line.startsWith("segment.ms: declared 60000, actual soon"))
        .anyMatch(line -> line.startsWith("file.delete.delay.ms: declared 60000, actual null"));
  }

  @Test
  void shouldLeaveTheEqualityCheckToEveryOtherSetting() {
    assertThat(ErasureBound.governs(identities, "segment.ms")).isTrue();
    assertThat(ErasureBound.governs(identities, "delete.retention.ms")).isFalse();
    assertThat(ErasureBound.governs(identities, "cleanup.policy")).isFalse();
  }
}
