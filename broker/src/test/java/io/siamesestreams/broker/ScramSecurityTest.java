package io.siamesestreams.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramSecurityTest {

  @TempDir
  Path dir;

  @Test
  void shouldReadUsersFromAFileWithTheSuperUserAmongThem() throws Exception {
    Path file = Files.writeString(dir.resolve("users.properties"),
        "# operators\nadmin = admin-pw\ngateway=gw-pw\nservice=svc=pw\n");

    ScramSecurity security = ScramSecurity.fromFile(file, "admin");

    assertThat(security.superUser()).isEqualTo("admin");
    assertThat(security.superUserPassword()).isEqualTo("admin-pw");
    assertThat(security.users()).isEqualTo(Map.of("gateway", "gw-pw", "service", "svc=pw"));
    assertThat(security.toString()).doesNotContain("admin-pw").doesNotContain("gw-pw").contains("gateway");
  }

  @Test
  void shouldRefuseAFileWithoutTheSuperUserOrWithABadPasswordWithoutPrintingIt() throws Exception {
    Path noAdmin = Files.writeString(dir.resolve("no-admin.properties"), "gateway=gw-pw\n");
    Path badPassword = Files.writeString(dir.resolve("bad.properties"), "admin=pw-with,comma\n");

    assertThatThrownBy(() -> ScramSecurity.fromFile(noAdmin, "admin"))
        .hasMessageContaining("no-admin.properties").hasMessageContaining("super user admin");
    assertThatThrownBy(() -> ScramSecurity.fromFile(badPassword, "admin"))
        .hasMessageContaining("bad.properties").hasMessageContaining("password of SCRAM user admin")
        .hasMessageNotContaining("pw-with");
    assertThatThrownBy(() -> ScramSecurity.fromFile(dir.resolve("missing"), "admin"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> new ScramSecurity("admin", "pw", Map.of("bad user", "x")))
        .hasMessageContaining("bad user");
  }
}
