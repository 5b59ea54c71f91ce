package io.siamesestreams.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

  @TempDir
  Path dir;

  private Path file(String... lines) throws Exception {
    Path file = dir.resolve("keys");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void shouldAuthenticateAKeyByItsSha256AndGiveItsNameAndRole() throws Exception {
    // printf %s test | sha256sum
    ApiKeys keys = ApiKeys.load(file("# kiosk", "",
        "kiosk=operator:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ApiKeys.line("admin", Role.ENROLLER, "s3cret")));

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.authenticate("test")).contains(new ApiKeys.Key("kiosk", Role.OPERATOR));
    assertThat(keys.authenticate("s3cret")).contains(new ApiKeys.Key("admin", Role.ENROLLER));
    assertThat(keys.authenticate("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
        .as("the hash is not a key").isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
  }

  @Test
  void shouldNameTheFileAndLineOfABadEntry() throws Exception {
    Path badRole = file("ok=viewer:" + "a".repeat(64), "x=admin:" + "b".repeat(64));
    assertThatThrownBy(() -> ApiKeys.load(badRole)).hasMessageContaining(badRole + ", line 2")
        .hasMessageContaining("unknown role 'admin'");
    Path badHash = file("x=viewer:plaintext-key");
    assertThatThrownBy(() -> ApiKeys.load(badHash)).hasMessageContaining("line 1").hasMessageContaining("64 hex");
    Path twice = file("x=viewer:" + "a".repeat(64), "x=operator:" + "b".repeat(64));
    assertThatThrownBy(() -> ApiKeys.load(twice)).hasMessageContaining("appears twice");
    Path empty = file("# nothing");
    assertThatThrownBy(() -> ApiKeys.load(empty)).hasMessageContaining("holds no key");
    assertThatThrownBy(() -> ApiKeys.load(dir.resolve("missing"))).hasMessageContaining("cannot read");
  }

  @Test
  void shouldLetEachRoleDoWhatTheRolesBeforeItDo() {
    assertThat(Role.ENROLLER.includes(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
    assertThat(Role.OPERATOR.includes(Role.ENROLLER)).isFalse();
  }
}
