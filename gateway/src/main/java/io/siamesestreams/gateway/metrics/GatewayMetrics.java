package io.siamesestreams.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.siamesestreams.gateway.gate.DropReason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's meters (Prometheus names; every meter but the queue gauge is tagged {@code camera}):
 *
 * <ul>
 *   <li>{@code siamese_gateway_frames_decoded_total}: pictures decoded from the source;
 *   <li>{@code siamese_gateway_frames_sent_total}: frames (or face crops) the broker acknowledged;
 *   <li>{@code siamese_gateway_frames_dropped_total{reason}}: not sent, by {@link DropReason#tag()};
 *   <li>{@code siamese_gateway_reconnects_total}: successful re-connections after a failure;
 *   <li>{@code siamese_gateway_decode_seconds}: time to decode one picture (summary);
 *   <li>{@code siamese_gateway_capture_to_send_lag_seconds}: from capture to the broker's acknowledgement;
 *   <li>{@code siamese_gateway_send_queue_frames}: frames waiting in the bounded send queue;
 *   <li>{@code siamese_gateway_camera_up}: 1 while the camera's source delivers frames, 0 while it
 *       is being (re)connected or has ended.
 * </ul>
 *
 * Thread-safe.
 */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The registry, for the {@code /metrics} endpoint. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Registers the queue-length gauge. */
  public void queueLength(Supplier<Number> length) {
    Gauge.builder("siamese.gateway.send.queue.frames", length).description("Frames waiting in the send queue")
        .register(registry);
  }

  /**
   * Registers the camera's meters: its up/down gauge, and its counters (every drop reason included)
   * and timers at zero, so that a dashboard or an alert sees 0 rather than no series before the
   * first drop or reconnection.
   */
  public void registerCamera(String camera, Supplier<Number> up) {
    Gauge.builder("siamese.gateway.camera.up", up).description("1 while the source delivers frames").tag("camera", camera)
        .register(registry);
    counter("siamese.gateway.frames.decoded", camera);
    counter("siamese.gateway.frames.sent", camera);
    counter("siamese.gateway.reconnects", camera);
    for (DropReason reason : DropReason.values()) {
      droppedCounter(camera, reason);
    }
    decodeTimer(camera);
    lagTimer(camera);
  }

  /** The camera's up/down gauge's value (0 when not registered). */
  public double upValue(String camera) {
    Gauge gauge = registry.find("siamese.gateway.camera.up").tag("camera", camera).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  public void decoded(String camera, long decodeNanos) {
    counter("siamese.gateway.frames.decoded", camera).increment();
    decodeTimer(camera).record(decodeNanos, TimeUnit.NANOSECONDS);
  }

  public void sent(String camera, long lagMillis) {
    counter("siamese.gateway.frames.sent", camera).increment();
    lagTimer(camera).record(Duration.ofMillis(Math.max(0, lagMillis)));
  }

  public void dropped(String camera, DropReason reason) {
    droppedCounter(camera, reason).increment();
  }

  public void reconnected(String camera) {
    counter("siamese.gateway.reconnects", camera).increment();
  }

  /** Frames decoded so far by {@code camera}. */
  public long decodedCount(String camera) {
    return count("siamese.gateway.frames.decoded", camera);
  }

  public long sentCount(String camera) {
    return count("siamese.gateway.frames.sent", camera);
  }

  public long reconnectCount(String camera) {
    return count("siamese.gateway.reconnects", camera);
  }

  /** Drops so far by reason (reasons never seen are left out). */
  public Map<DropReason, Long> droppedCounts(String camera) {
    Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      Counter counter = registry.find("siamese.gateway.frames.dropped").tag("camera", camera).tag("reason", reason.tag()).counter();
      if (counter != null && counter.count() > 0) {
        counts.put(reason, (long) counter.count());
      }
    }
    return counts;
  }

  /** One line: {@code decoded 250, sent 50, dropped {fps=200}, reconnects 0}. */
  public String summary(String camera) {
    Map<String, Long> dropped = new LinkedHashMap<>();
    droppedCounts(camera).forEach((reason, count) -> dropped.put(reason.tag(), count));
    return "decoded " + decodedCount(camera) + ", sent " + sentCount(camera) + ", dropped " + dropped
        + ", reconnects " + reconnectCount(camera);
  }

  private Counter droppedCounter(String camera, DropReason reason) {
    return Counter.builder("siamese.gateway.frames.dropped").description("Frames or faces not sent, by reason")
        .tag("camera", camera).tag("reason", reason.tag()).register(registry);
  }

  private Timer decodeTimer(String camera) {
    return Timer.builder("siamese.gateway.decode").description("Time to decode one picture").tag("camera", camera)
        .register(registry);
  }

  private Timer lagTimer(String camera) {
    return Timer.builder("siamese.gateway.capture.to.send.lag").description("Capture to broker acknowledgement")
        .tag("camera", camera).register(registry);
  }

  private Counter counter(String name, String camera) {
    return Counter.builder(name).tag("camera", camera).register(registry);
  }

  private long count(String name, String camera) {
    Counter counter = registry.find(name).tag("camera", camera).counter();
    return counter == null ? 0 : (long) counter.count();
  }
}
