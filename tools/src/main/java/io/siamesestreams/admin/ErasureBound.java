package io.siamesestreams.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topic settings that bound how long an erased record stays readable and on the broker's disks
 * (topics/README.md, "Erasure"). A compacted topic that declares {@code max.compaction.lag.ms} has
 * an erasure bound; for it, {@code segment.ms}, {@code max.compaction.lag.ms} and
 * {@code file.delete.delay.ms} may be lower on the broker than declared (a tighter bound) but not
 * higher or unset (the other declared configs, {@code cleanup.policy} included, are compared for
 * equality as for every topic). Anything else would let an erased identity's images or templates
 * outlive the documented bound, so {@link TopicsApplier} reports it as a MISMATCH.
 */
public final class ErasureBound {

  /** Settings whose deployed value may be at most the declared one. */
  static final List<String> AT_MOST_DECLARED_IN_ORDER =
      List.of("segment.ms", "max.compaction.lag.ms", "file.delete.delay.ms");
  static final Set<String> AT_MOST_DECLARED = Set.copyOf(AT_MOST_DECLARED_IN_ORDER);

  private ErasureBound() {}

  /** Whether {@code spec} declares an erasure bound (compacted, with {@code max.compaction.lag.ms}). */
  public static boolean applies(TopicSpec spec) {
    return spec.cleanupPolicy().contains("compact") && spec.configs().containsKey("max.compaction.lag.ms");
  }

  /** Whether {@code key} of {@code spec} is compared by this rule rather than for equality. */
  public static boolean governs(TopicSpec spec, String key) {
    return applies(spec) && AT_MOST_DECLARED.contains(key);
  }

  /**
   * One line per deployed setting that breaks the declared bound, e.g. {@code segment.ms: declared
   * 60000, actual 604800000 (breaks the erasure bound: ...)}; empty when the topic keeps it (or
   * declares none).
   *
   * @param actual the topic's configs on the broker (name to value; absent or null: unknown)
   */
  public static List<String> violations(TopicSpec spec, Map<String, String> actual) {
    List<String> violations = new ArrayList<>();
    if (!applies(spec)) {
      return violations;
    }
    for (String key : AT_MOST_DECLARED_IN_ORDER) {
      String declared = spec.configs().get(key);
      if (declared == null) {
        continue;
      }
      String value = actual.get(key);
      Long deployed = parse(value);
      if (deployed == null || deployed < 0 || deployed > Long.parseLong(declared)) {
        violations.add(key + ": declared " + declared + ", actual " + value
            + " (breaks the erasure bound: erased records would stay readable or on disk longer)");
      }
    }
    return violations;
  }

  private static Long parse(String value) {
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
