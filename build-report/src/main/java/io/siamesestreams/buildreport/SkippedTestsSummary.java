package io.siamesestreams.buildreport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The end-of-build summary of skipped tests: reads every {@code TEST-*.xml} that Surefire and
 * Failsafe wrote during this build under {@code <root>/<module>/target*}/{surefire,failsafe}-reports},
 * prints the totals and each skipped test class with its reasons, and writes one line per skipped
 * test ({@code class TAB test TAB reason}) to a TSV file that {@code .ci/run} checks.
 *
 * <p>Reports older than the build's start are ignored, so a module left out of this build does not
 * report stale results.
 */
public final class SkippedTestsSummary {

  /** One skipped test: its class, its name and the reason JUnit gave (never empty). */
  public record SkippedTest(String className, String testName, String reason) {}

  /** The totals and skipped tests of a set of reports. */
  public record Summary(int tests, int failures, int errors, List<SkippedTest> skipped) {

    /** The lines printed at the end of the build. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(String.format("tests: %d run, %d failed, %d errors, %d skipped", tests, failures, errors, skipped.size()));
      Map<String, Map<String, Integer>> byClass = new TreeMap<>();
      for (SkippedTest test : skipped) {
        byClass.computeIfAbsent(test.className(), c -> new TreeMap<>()).merge(test.reason(), 1, Integer::sum);
      }
      byClass.forEach((className, reasons) -> reasons.forEach((reason, count) ->
          lines.add(String.format("  skipped %s (%d): %s", simpleName(className), count, reason))));
      return lines;
    }
  }

  private SkippedTestsSummary() {}

  /** Arguments: the multi-module root, the build's start (ISO-8601 instant), the TSV file to write. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    Instant since = Instant.parse(args[1]).minusSeconds(1);
    Summary summary = summarise(reportsUnder(root, since));
    System.out.println("------------------------------------------------------------------------");
    summary.lines().forEach(line -> System.out.println("[skips] " + line));
    System.out.println("------------------------------------------------------------------------");
    Path tsv = Path.of(args[2]);
    Files.createDirectories(tsv.getParent());
    List<String> rows = new ArrayList<>();
    for (SkippedTest test : summary.skipped()) {
      rows.add(test.className() + "\t" + test.testName() + "\t" + test.reason());
    }
    Files.write(tsv, rows);
  }

  /** The report files of every module directly under {@code root} written at or after {@code since}. */
  public static List<Path> reportsUnder(Path root, Instant since) throws IOException {
    try (Stream<Path> files = Files.find(root, 4, (path, attributes) ->
        path.getFileName().toString().startsWith("TEST-")
            && path.getFileName().toString().endsWith(".xml")
            && path.getParent().getFileName().toString().matches("(surefire|failsafe)-reports")
            && path.getParent().getParent().getFileName().toString().startsWith("target")
            && !attributes.lastModifiedTime().toInstant().isBefore(since))) {
      return files.sorted().toList();
    }
  }

  /** Adds up the given Surefire/Failsafe XML reports. */
  public static Summary summarise(List<Path> reports) {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    List<SkippedTest> skipped = new ArrayList<>();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    for (Path report : reports) {
      try {
        Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
        NodeList cases = suite.getElementsByTagName("testcase");
        if (cases.getLength() == 0) {
          // A class-level assumption or condition (in @BeforeAll, say) leaves a report without test cases.
          skipped.add(new SkippedTest(suite.getAttribute("name"), "(whole class)", "ran no test"));
        }
        for (int i = 0; i < cases.getLength(); i++) {
          Element testCase = (Element) cases.item(i);
          tests++;
          if (testCase.getElementsByTagName("failure").getLength() > 0) {
            failures++;
          } else if (testCase.getElementsByTagName("error").getLength() > 0) {
            errors++;
          }
          NodeList skips = testCase.getElementsByTagName("skipped");
          if (skips.getLength() > 0) {
            Element skip = (Element) skips.item(0);
            String message = skip.getAttribute("message").strip();
            if (message.isEmpty()) {
              message = firstLine(skip.getTextContent()).replaceFirst("^[\\w.$]+Exception: (Assumption failed: )?", "");
            }
            String className = testCase.getAttribute("classname");
            skipped.add(new SkippedTest(className.isEmpty() ? suite.getAttribute("name") : className,
                testCase.getAttribute("name"), message.isEmpty() ? "(no reason given)" : oneLine(message)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(report + ": " + e.getMessage(), e);
      } catch (Exception e) {
        throw new IllegalStateException(report + ": not a Surefire report: " + e.getMessage(), e);
      }
    }
    return new Summary(tests, failures, errors, List.copyOf(skipped));
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int end = stripped.indexOf('\n');
    return end < 0 ? stripped : stripped.substring(0, end).strip();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
