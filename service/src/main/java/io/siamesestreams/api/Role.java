package io.siamesestreams.api;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * What an API key may do; each role includes the ones before it.
 *
 * <ul>
 *   <li>{@link #VIEWER}: list and read identities, watch the event stream;
 *   <li>{@link #OPERATOR}: also verify and identify on demand;
 *   <li>{@link #ENROLLER}: also enrol and erase identities.
 * </ul>
 */
public enum Role implements RouteRole {
  VIEWER, OPERATOR, ENROLLER;

  /** Whether a key with this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  /** The role named {@code name} (case-insensitive: {@code viewer}, {@code operator}, {@code enroller}). */
  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role '" + name + "' (viewer, operator or enroller)", e);
    }
  }

  /** The role's name in lower case, as in the keys file. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
