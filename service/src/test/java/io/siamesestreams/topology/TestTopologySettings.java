package io.siamesestreams.topology;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.config.ServiceConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Topology settings for tests, built like the service's: the definitions' defaults and the keys given. */
public final class TestTopologySettings {

  private TestTopologySettings() {}

  /**
   * The topology settings of a service configured with {@code settings} ({@link ServiceConfig} keys;
   * bootstrap servers and model directory need not be given, the topology does not read them).
   */
  public static TopologySettings of(Map<String, ?> settings) {
    Map<String, Object> all = new LinkedHashMap<>(settings);
    all.putIfAbsent(ServiceConfig.BOOTSTRAP_SERVERS, "unused:9092");
    all.putIfAbsent(ServiceConfig.MODEL_DIR, "unused");
    return ServiceSettings.of(all).topology();
  }
}
