package io.siamesestreams.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run an {@link EmbeddedKafkaBroker}.
 *
 * @param host interface both listeners bind to and the address advertised to clients, e.g. {@code 127.0.0.1}
 * @param port client (PLAINTEXT) port; 0 picks a free port
 * @param controllerPort KRaft controller port; 0 picks a free port
 * @param dataDirectory log directory; null means a fresh temporary directory deleted on close. An existing,
 *     already formatted directory is reused as is (topics and offsets survive a restart)
 * @param overrides broker settings applied last, over the single-node defaults (see {@link
 *     EmbeddedKafkaBroker#brokerConfig})
 * @param security null for a client listener without authentication or authorisation (the default);
 *     otherwise SASL/SCRAM-SHA-512 and ACLs ({@link ScramSecurity})
 * @param tls null for a client listener without TLS (the default); otherwise TLS with this key material.
 *     The client listener's protocol follows from both: {@link #clientProtocol()}
 */
public record BrokerSettings(
    String host, int port, int controllerPort, Path dataDirectory, Map<String, String> overrides,
    ScramSecurity security, TlsMaterial tls) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  public BrokerSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
    if (controllerPort < 0 || controllerPort > 65535) {
      throw new IllegalArgumentException("controllerPort must be in [0, 65535]: " + controllerPort);
    }
    overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
  }

  /** Settings without SASL, ACLs or TLS (a PLAINTEXT client listener). */
  public BrokerSettings(String host, int port, int controllerPort, Path dataDirectory, Map<String, String> overrides) {
    this(host, port, controllerPort, dataDirectory, overrides, null, null);
  }

  /** Settings without TLS. */
  public BrokerSettings(String host, int port, int controllerPort, Path dataDirectory, Map<String, String> overrides,
      ScramSecurity security) {
    this(host, port, controllerPort, dataDirectory, overrides, security, null);
  }

  /**
   * The client listener's security protocol (also its listener name): {@code PLAINTEXT}, {@code SSL},
   * {@code SASL_PLAINTEXT} or {@code SASL_SSL}.
   */
  public String clientProtocol() {
    return (security == null ? "" : "SASL_") + (tls == null ? "PLAINTEXT" : "SSL");
  }

  /** Free ports, a temporary data directory: what tests want. */
  public static BrokerSettings ephemeral() {
    return new BrokerSettings(DEFAULT_HOST, 0, 0, null, Map.of());
  }

  public BrokerSettings withPort(int newPort) {
    return new BrokerSettings(host, newPort, controllerPort, dataDirectory, overrides, security, tls);
  }

  public BrokerSettings withDataDirectory(Path directory) {
    return new BrokerSettings(host, port, controllerPort, directory, overrides, security, tls);
  }

  public BrokerSettings withOverrides(Map<String, String> newOverrides) {
    return new BrokerSettings(host, port, controllerPort, dataDirectory, newOverrides, security, tls);
  }

  /** These settings with SASL/SCRAM-SHA-512 on the client listener and ACL authorisation. */
  public BrokerSettings withScramSecurity(ScramSecurity newSecurity) {
    return new BrokerSettings(host, port, controllerPort, dataDirectory, overrides, newSecurity, tls);
  }

  /** These settings with TLS on the client listener ({@code SSL}, or {@code SASL_SSL} with SCRAM security). */
  public BrokerSettings withTls(TlsMaterial newTls) {
    return new BrokerSettings(host, port, controllerPort, dataDirectory, overrides, security, newTls);
  }
}
