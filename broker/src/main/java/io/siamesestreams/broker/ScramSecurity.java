package io.siamesestreams.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * SASL/SCRAM-SHA-512 authentication and ACL authorisation for an {@link EmbeddedKafkaBroker}.
 *
 * <p>With it, the client listener speaks {@code SASL_PLAINTEXT} (or {@code SASL_SSL} with {@link
 * TlsMaterial}) with mechanism {@value #MECHANISM}, the broker authorises every request with Kafka's
 * KRaft {@code StandardAuthorizer} (no ACL → denied), {@code superUser} may do everything (the broker
 * itself and the operator use it), and every user in {@code users} gets SCRAM credentials when the
 * storage is formatted ({@code kafka-storage format --add-scram}); on a data directory formatted by an
 * earlier start, the broker sets the credentials of {@code users} again through the Admin API (the super
 * user's stay as formatted). The controller listener stays PLAINTEXT on the broker's host; its requests come from
 * the broker itself as {@code User:ANONYMOUS}, which is therefore a super user too: bind the
 * controller to a loopback or private address.
 *
 * @param superUser the administrator's user name
 * @param superUserPassword the administrator's password
 * @param users other users and their passwords (no ACLs: grant them with the Admin API)
 * @throws IllegalArgumentException for a user name outside {@code [A-Za-z0-9._@-]}, or an empty password or
 *     one with white space or any of {@code " \ , [ ]} (they would break the JAAS and {@code --add-scram}
 *     syntax); the message never contains a password
 */
public record ScramSecurity(String superUser, String superUserPassword, Map<String, String> users) {

  public static final String MECHANISM = "SCRAM-SHA-512";
  public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]+");
  private static final Pattern PASSWORD = Pattern.compile("[^\\s\"\\\\,\\[\\]]+");

  public ScramSecurity {
    Objects.requireNonNull(superUser, "superUser");
    Objects.requireNonNull(superUserPassword, "superUserPassword");
    users = Map.copyOf(users == null ? Map.of() : users);
    checkCredentials(superUser, superUserPassword);
    users.forEach(ScramSecurity::checkCredentials);
  }

  /**
   * Reads {@code user=password} lines (a Java properties file, UTF-8) and makes {@code superUser}, which
   * must be one of them, the super user.
   *
   * @throws IllegalArgumentException when the file cannot be read, is empty, lacks the super user or
   *     holds a bad name or password (the message names the file and the user, never a password)
   */
  public static ScramSecurity fromFile(Path file, String superUser) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read SCRAM users from " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> users = new TreeMap<>();
    properties.stringPropertyNames().forEach(user -> users.put(user.trim(), properties.getProperty(user).trim()));
    String superUserPassword = users.remove(superUser);
    if (superUserPassword == null) {
      throw new IllegalArgumentException(file + ": no line for the super user " + superUser
          + " (user=password lines; the super user is the broker's own identity and the operator's)");
    }
    try {
      return new ScramSecurity(superUser, superUserPassword, users);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static void checkCredentials(String user, String password) {
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException("SCRAM user name \"" + user + "\" must match " + USER_NAME.pattern());
    }
    if (password == null || !PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException("the password of SCRAM user " + user
          + " must be non-empty, without white space, quotes, backslashes, commas or brackets");
    }
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

  /** Client settings to authenticate as {@code user} with {@code password} over {@code SASL_PLAINTEXT}. */
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
