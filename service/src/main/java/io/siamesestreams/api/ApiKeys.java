package io.siamesestreams.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys of {@code --api-keys FILE}: one key per line, {@code <name>=<role>:<SHA-256 hex of the
 * key>} ({@code # comments} and blank lines ignored), for example
 * {@code kiosk=operator:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}. Only the
 * hashes are held; a presented key ({@code Authorization: Bearer <key>}) is hashed and compared with
 * every entry in constant time. Neither keys nor hashes are ever logged.
 */
public final class ApiKeys {

  /**
   * One entry of the file.
   *
   * @param name who holds the key (logged instead of the key)
   * @param role what it may do
   */
  public record Key(String name, Role role) {}

  private record Entry(Key key, byte[] sha256) {}

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the file and line when a line is malformed, a name repeats,
   *     or the file holds no key
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ApiKeys load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API keys file " + file + ": " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "API keys file " + file + ", line " + (i + 1) + ": ";
      int equals = line.indexOf('=');
      int colon = line.indexOf(':', Math.max(equals, 0));
      if (equals < 1 || colon < 0) {
        throw new IllegalArgumentException(where + "expected <name>=<role>:<SHA-256 hex of the key>");
      }
      String name = line.substring(0, equals).strip();
      Role role;
      try {
        role = Role.parse(line.substring(equals + 1, colon));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
      String hex = line.substring(colon + 1).strip();
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(where + "the hash must be 64 hex digits (SHA-256 of the key), e.g. from"
            + " `printf %s KEY | sha256sum`");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(where + "the name " + name + " appears twice");
      }
      entries.add(new Entry(new Key(name, role), HexFormat.of().parseHex(hex.toLowerCase())));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("API keys file " + file + " holds no key");
    }
    return new ApiKeys(entries);
  }

  /** The entry whose hash is {@code presentedKey}'s, or empty. */
  public Optional<Key> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedKey);
    Key found = null;
    for (Entry entry : entries) {
      // Every entry is compared, each in constant time, so timing tells nothing about the keys.
      if (MessageDigest.isEqual(entry.sha256(), hash)) {
        found = entry.key();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Keys in the file. */
  public int size() {
    return entries.size();
  }

  /** The line of the keys file for {@code key} (tests, and people writing the file by hand). */
  public static String line(String name, Role role, String key) {
    return name + "=" + role.label() + ":" + HexFormat.of().formatHex(sha256(key));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
