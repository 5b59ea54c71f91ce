package io.siamesestreams.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclFileTest {

  private static final List<String> TOPICS =
      List.of("frames", "identities", "identity-templates", "match-events", "frames-dlq");

  /** Each topic's name with {@code prefix}, by its default name (what the service's Topics gives). */
  private static Map<String, String> topicNames(String prefix) {
    Map<String, String> names = new LinkedHashMap<>();
    TOPICS.forEach(topic -> names.put(topic, prefix + topic));
    return names;
  }

  @Test
  void shouldTurnTheDocumentedRolesIntoBindingsForTheGivenNamesAndUsers() {
    AclFile file = AclFile.bundled();
    Map<String, String> users = file.usersNamedAfterRoles();
    users.put("gateway", "camera-gw-1");

    List<AclBinding> bindings = file.bindings(topicNames("p-"), "my-app", users);

    assertThat(file.roles()).containsExactly("gateway", "enroller", "subscriber", "service");
    assertThat(bindings).hasSize(28);
    assertThat(bindings).filteredOn(b -> b.entry().principal().equals("User:camera-gw-1"))
        .extracting(b -> b.pattern().name() + ":" + b.entry().operation())
        .containsExactlyInAnyOrder("p-frames:WRITE", "p-frames:DESCRIBE");
    assertThat(bindings).anySatisfy(b -> {
      assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
      assertThat(b.pattern().name()).isEqualTo("my-app-");
      assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
      assertThat(b.entry().operation()).isEqualTo(AclOperation.WRITE);
    });
    assertThat(bindings).noneMatch(b -> b.pattern().name().contains("{"));
  }

  @Test
  void shouldNameTheFileAndRoleOfAMistake(@TempDir Path dir) throws Exception {
    Path typo = Files.writeString(dir.resolve("acls.json"), """
        {"roles": [{"role": "gateway", "acls": [
          {"resourceType": "TOPIC", "name": "{frames}", "patternType": "LITERAL", "operations": ["WRTIE"]}]}]}
        """);

    assertThatThrownBy(() -> AclFile.load(typo).bindings(topicNames(""), "app", Map.of("gateway", "gateway")))
        .hasMessageContaining("acls.json").hasMessageContaining("role gateway").hasMessageContaining("WRTIE");
    assertThatThrownBy(() -> AclFile.bundled().bindings(topicNames(""), "app", Map.of("gateway", "gateway")))
        .hasMessageContaining("no user for role enroller");
    assertThatThrownBy(() -> AclFile.load(dir.resolve("absent.json"))).hasMessageContaining("absent.json");
  }
}
