package io.siamesestreams.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * An ACL set in the format of {@code topics/acls.json}: roles, each with ALLOW bindings on resource
 * names that may hold the placeholders {@code {frames}}, {@code {identities}}, {@code
 * {identity-templates}}, {@code {match-events}}, {@code {frames-dlq}} (topic names) and {@code
 * {application.id}}. {@link #bindings} turns it into Kafka {@link AclBinding}s for given names and
 * users; every binding allows from any host. The repository's file ships in the streams jar ({@link
 * #bundled()}).
 */
public final class AclFile {

  private static final String BUNDLED = "topics/acls.json";

  private final JsonNode root;
  private final String source;

  private AclFile(JsonNode root, String source) {
    this.root = root;
    this.source = source;
    if (!root.path("roles").isArray() || root.path("roles").isEmpty()) {
      throw new IllegalArgumentException(source + ": no \"roles\" array");
    }
  }

  /**
   * Reads an ACL file.
   *
   * @throws IllegalArgumentException when it cannot be read or is not an ACL file
   */
  public static AclFile load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new AclFile(Json.mapper().readTree(in), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read ACL file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The ACL set packaged in the jar (a copy of the repository's {@code topics/acls.json}). */
  public static AclFile bundled() {
    try (InputStream in = AclFile.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + " is not on the classpath");
      }
      return new AclFile(Json.mapper().readTree(in), "classpath:" + BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The role names, in file order. */
  public List<String> roles() {
    List<String> roles = new ArrayList<>();
    root.get("roles").forEach(role -> roles.add(text(role, "role")));
    return roles;
  }

  /** Every role's user when each user is named like its role (the documented default). */
  public Map<String, String> usersNamedAfterRoles() {
    Map<String, String> users = new LinkedHashMap<>();
    roles().forEach(role -> users.put(role, role));
    return users;
  }

  /**
   * The bindings of every role.
   *
   * @param topicNames each topic's actual name by its default name ({@code frames}, {@code identities},
   *     {@code identity-templates}, {@code match-events}, {@code frames-dlq}): placeholder {@code {frames}}
   *     becomes {@code topicNames.get("frames")}; the service's {@code Topics.namesByDefault()} gives it
   * @param applicationId the service's {@code application.id}
   * @param users role → user name (the principal is {@code User:<name>}); every role must be present
   * @throws IllegalArgumentException for a role without a user, an unknown resource type, pattern type or
   *     operation, or a placeholder left unfilled
   */
  public List<AclBinding> bindings(Map<String, String> topicNames, String applicationId, Map<String, String> users) {
    Map<String, String> placeholders = new LinkedHashMap<>();
    topicNames.forEach((defaultName, name) -> placeholders.put("{" + defaultName + "}", name));
    placeholders.put("{application.id}", applicationId);
    List<AclBinding> bindings = new ArrayList<>();
    for (JsonNode role : root.get("roles")) {
      String roleName = text(role, "role");
      String user = users.get(roleName);
      if (user == null) {
        throw new IllegalArgumentException(source + ": no user for role " + roleName);
      }
      for (JsonNode acl : role.path("acls")) {
        String name = text(acl, "name");
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
          name = name.replace(placeholder.getKey(), placeholder.getValue());
        }
        if (name.contains("{")) {
          throw new IllegalArgumentException(source + ": role " + roleName + ": unknown placeholder in " + name);
        }
        try {
          ResourcePattern pattern = new ResourcePattern(ResourceType.valueOf(text(acl, "resourceType")), name,
              PatternType.valueOf(text(acl, "patternType")));
          for (JsonNode operation : acl.path("operations")) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
                AclOperation.valueOf(operation.asText()), AclPermissionType.ALLOW)));
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ": role " + roleName + ": " + e.getMessage(), e);
        }
      }
    }
    return bindings;
  }

  private String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(source + ": missing text field \"" + field + "\" in " + node);
    }
    return value.asText();
  }

  /**
   * Creates {@code bindings} and waits until the broker that {@code admin} talks to reports every
   * one of them: the controller commits ACLs before each broker's authorizer has applied them, and a
   * client that connects in between is refused.
   *
   * @throws IllegalStateException when they are not all visible within {@code timeout}
   */
  public static void apply(Admin admin, List<AclBinding> bindings, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin.createAcls(bindings).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      while (true) {
        Collection<AclBinding> visible = admin.describeAcls(AclBindingFilter.ANY).values()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (visible.containsAll(bindings)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ACLs created but not visible on the broker after " + timeout);
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create ACLs: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating ACLs", e);
    }
  }
}
