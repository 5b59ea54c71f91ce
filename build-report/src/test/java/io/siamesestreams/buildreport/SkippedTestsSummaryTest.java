package io.siamesestreams.buildreport;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.buildreport.SkippedTestsSummary.SkippedTest;
import io.siamesestreams.buildreport.SkippedTestsSummary.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedTestsSummaryTest {

  private static final String REPORT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuite name="io.example.%1$s" tests="3" failures="0" errors="0" skipped="1">
        <testcase name="runsAgainstABroker" classname="io.example.%1$s" time="1.2"/>
        <testcase name="failsLoudly" classname="io.example.%1$s" time="0.1"><failure message="boom"/></testcase>
        <testcase name="needsATool" classname="io.example.%1$s" time="0"><skipped message="promtool not found:
      install Debian's prometheus"/></testcase>
      </testsuite>
      """;

  @Test
  void countsTestsFailuresAndSkipsWithTheirReasonsOnOneLine(@TempDir Path root) throws Exception {
    Path report = write(root.resolve("service/target/failsafe-reports/TEST-io.example.AlertsIT.xml"), "AlertsIT");

    Summary summary = SkippedTestsSummary.summarise(List.of(report));

    assertThat(summary.tests()).isEqualTo(3);
    assertThat(summary.failures()).isEqualTo(1);
    assertThat(summary.skipped()).containsExactly(
        new SkippedTest("io.example.AlertsIT", "needsATool", "promtool not found: install Debian's prometheus"));
    assertThat(summary.lines()).containsExactly(
        "tests: 3 run, 1 failed, 0 errors, 1 skipped",
        "  skipped AlertsIT (1): promtool not found: install Debian's prometheus");
  }

  @Test
  void takesTheReasonOfAnAbortedAssumptionFromItsStackTraceAndCountsAClassThatRanNoTest(@TempDir Path root) throws Exception {
    Path aborted = root.resolve("TEST-io.example.NeedsFfmpegIT.xml");
    Files.writeString(aborted, """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuite name="io.example.NeedsFfmpegIT" tests="1" skipped="1">
          <testcase name="streams" classname="io.example.NeedsFfmpegIT" time="0"><skipped type="org.opentest4j.TestAbortedException"><![CDATA[org.opentest4j.TestAbortedException: Assumption failed: needs `ffmpeg`
        	at org.junit.jupiter.api.Assumptions.throwAssumptionFailed(Assumptions.java:321)
        ]]></skipped></testcase>
        </testsuite>
        """);
    Path empty = root.resolve("TEST-io.example.EmptyTest.xml");
    Files.writeString(empty, """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuite name="io.example.EmptyTest" tests="0" skipped="0"></testsuite>
        """);

    assertThat(SkippedTestsSummary.summarise(List.of(aborted, empty)).skipped()).containsExactly(
        new SkippedTest("io.example.NeedsFfmpegIT", "streams", "needs `ffmpeg`"),
        new SkippedTest("io.example.EmptyTest", "(whole class)", "ran no test"));
  }

  @Test
  void readsOnlyReportsThatThisBuildWrote(@TempDir Path root) throws Exception {
    Path fresh = write(root.resolve("core/target/surefire-reports/TEST-io.example.FreshTest.xml"), "FreshTest");
    Path stale = write(root.resolve("faces/target/surefire-reports/TEST-io.example.StaleTest.xml"), "StaleTest");
    write(root.resolve("faces/target/surefire-reports/not-a-report.txt"), "X");
    Instant buildStart = Instant.now().minusSeconds(60);
    Files.setLastModifiedTime(stale, FileTime.from(buildStart.minusSeconds(3600)));

    assertThat(SkippedTestsSummary.reportsUnder(root, buildStart)).containsExactly(fresh);
  }

  private static Path write(Path file, String className) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, REPORT.formatted(className));
  }
}
