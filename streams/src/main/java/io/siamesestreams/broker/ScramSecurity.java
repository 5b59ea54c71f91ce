package io.siamesestreams.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * SASL/SCRAM-SHA-512 authentication and ACL authorisation for an {@link EmbeddedKafkaBroker}.
 *
 * <p>With it, the client listener speaks {@code SASL_PLAINTEXT} with mechanism {@value #MECHANISM},
 * the broker authorises every request with Kafka's KRaft {@code StandardAuthorizer} (no ACL → denied),
 * {@code superUser} may do everything (the broker itself and the operator use it), and every user in
 * {@code users} gets SCRAM credentials when the storage is formatted ({@code kafka-storage format
 * --add-scram}). The controller listener stays PLAINTEXT on the broker's host; its requests come from
 * the broker itself as {@code User:ANONYMOUS}, which is therefore a super user too: bind the
 * controller to a loopback or private address.
 *
 * @param superUser the administrator's user name
 * @param superUserPassword the administrator's password
 * @param users other users and their passwords (no ACLs: grant them with the Admin API)
 */
public record ScramSecurity(String superUser, String superUserPassword, Map<String, String> users) {

  public static final String MECHANISM = "SCRAM-SHA-512";
  public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  public ScramSecurity {
    Objects.requireNonNull(superUser, "superUser");
    Objects.requireNonNull(superUserPassword, "superUserPassword");
    users = Map.copyOf(users == null ? Map.of() : users);
  }

  /** Names only: passwords never reach a log through {@code toString}. */
  @Override
  public String toString() {
    return "ScramSecurity[mechanism=" + MECHANISM + ", superUser=" + superUser + ", users=" + users.keySet()
        + ", passwords=[hidden]]";
  }

  /** Every user with SCRAM credentials (the super user first), name → password. */
  public Map<String, String> allUsers() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(superUser, superUserPassword);
    all.putAll(users);
    return all;
  }

  /**
   * Client settings to authenticate as {@code user} ({@code security.protocol}, {@code sasl.mechanism},
   * {@code sasl.jaas.config}); add {@code bootstrap.servers}.
   *
   * @throws IllegalArgumentException for a user without credentials here
   */
  public Map<String, String> clientProperties(String user) {
    String password = allUsers().get(user);
    if (password == null) {
      throw new IllegalArgumentException("no SCRAM credentials for user " + user);
    }
    return clientProperties(user, password);
  }

  /** Client settings to authenticate as {@code user} with {@code password}. */
  public static Map<String, String> clientProperties(String user, String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", jaasConfig(user, password));
  }

  /** The {@code sasl.jaas.config} value for SCRAM with these credentials. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }
}
