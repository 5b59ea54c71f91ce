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
 * @param security null for a PLAINTEXT client listener without authorisation (the default); otherwise
 *     SASL/SCRAM-SHA-512 and ACLs ({@link ScramSecurity})
 */
public record BrokerSettings(
    String host, int port, int controllerPort, Path dataDirectory, Map<String, String> overrides,
    ScramSecurity security) {

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

  /** Settings without SASL or ACLs (a PLAINTEXT client listener). */
  public BrokerSettings(String host, int port, int controllerPort, Path dataDirectory, Map<String, String> overrides) {
    this(host, port, controllerPort, dataDirectory, overrides, null);
  }

  /** Free ports, a temporary data directory: what tests want. */
  public static BrokerSettings ephemeral() {
    return new BrokerSettings(DEFAULT_HOST, 0, 0, null, Map.of());
  }

  public BrokerSettings withPort(int newPort) {
    return new BrokerSettings(host, newPort, controllerPort, dataDirectory, overrides, security);
  }

  public BrokerSettings withDataDirectory(Path directory) {
    return new BrokerSettings(host, port, controllerPort, directory, overrides, security);
  }

  public BrokerSettings withOverrides(Map<String, String> newOverrides) {
    return new BrokerSettings(host, port, controllerPort, dataDirectory, newOverrides, security);
  }

  /** These settings with SASL/SCRAM-SHA-512 on the client listener and ACL authorisation. */
  public BrokerSettings withScramSecurity(ScramSecurity newSecurity) {
    return new BrokerSettings(host, port, controllerPort, dataDirectory, overrides, newSecurity);
  }
}
