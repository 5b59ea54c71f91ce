package io.siamesestreams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table in README.md is the one {@link ServiceConfig#markdownTable()} generates. */
class ReadmeSettingsTableTest {

  static final String BEGIN = "<!-- settings:begin (generated from ServiceConfig; see ReadmeSettingsTableTest) -->";
  static final String END = "<!-- settings:end -->";

  @Test
  void readmeSettingsTableShouldBeTheOneTheDefinitionsGenerate() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has the line " + BEGIN).isNotNegative();
    assertThat(end).as("README.md has the line " + END).isGreaterThan(begin);
    String table = readme.substring(begin + BEGIN.length(), end).strip() + "\n";

    String expected = ServiceConfig.markdownTable();

    assertThat(table).as("README.md's settings table differs from the definitions; paste this between the markers:%n%n%s",
        expected).isEqualTo(expected);
  }
}
