package io.siamesestreams.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.topology.JsonSerde;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL set documented in {@code topics/acls.json} (on the classpath as {@code topics/acls.json}),
 * turned into Kafka {@link AclBinding}s for given topic names, application id and user names.
 */
final class DocumentedAcls {
  private DocumentedAcls() {}

  /**
   * The bindings of every role in the file.
   *
   * @param users role → user name (the principal is {@code User:<name>}); every role must be present
   */
  static List<AclBinding> bindings(Topics topics, String applicationId, Map<String, String> users) {
    JsonNode file = read();
    Map<String, String> placeholders = Map.of(
        "{frames}", topics.frames().name(),
        "{identities}", topics.identities().name(),
        "{identity-templates}", topics.identityTemplates().name(),
        "{match-events}", topics.matchEvents().name(),
        "{frames-dlq}", topics.framesDlq().name(),
        "{application.id}", applicationId);
    List<AclBinding> bindings = new ArrayList<>();
    for (JsonNode role : file.get("roles")) {
      String user = users.get(role.get("role").asText());
      if (user == null) {
        throw new IllegalArgumentException("no user for role " + role.get("role").asText());
      }
      for (JsonNode acl : role.get("acls")) {
        String name = acl.get("name").asText();
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
          name = name.replace(p.getKey(), p.getValue());
        }
        ResourcePattern pattern = new ResourcePattern(ResourceType.valueOf(acl.get("resourceType").asText()), name,
            PatternType.valueOf(acl.get("patternType").asText()));
        for (JsonNode operation : acl.get("operations")) {
          bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
              AclOperation.valueOf(operation.asText()), AclPermissionType.ALLOW)));
        }
      }
    }
    return bindings;
  }

  private static JsonNode read() {
    try (InputStream in = DocumentedAcls.class.getClassLoader().getResourceAsStream("topics/acls.json")) {
      if (in == null) {
        throw new IllegalStateException("topics/acls.json is not on the classpath");
      }
      return JsonSerde.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
