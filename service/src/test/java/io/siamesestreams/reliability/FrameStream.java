package io.siamesestreams.reliability;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A paced camera gateway for the reliability scenarios: {@code count} frames at {@code perSecond},
 * on four cameras, in a background thread. Frame {@code i} is {@code <prefix>-<i>}; every
 * {@value #INVALID_EVERY}th is invalid (the text {@code not json <id>}, a NOT_JSON dead letter whose
 * value names it); the others rotate through: a genuine claim of alice (TestBundles identity 1), a
 * genuine claim of bob (identity 2), and an identify of alice. So each valid frame's expected
 * decision is MATCH, and an identify's expected identity is alice.
 *
 * <p>Sends are retried by the idempotent producer (acks=all, delivery timeout 120 s), so a broker
 * restart delays frames but loses none; a send that still fails is recorded in {@link #failures()}.
 */
final class FrameStream {

  static final int INVALID_EVERY = 40;
  private static final int VARIANTS = 8;

  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final Set<String> invalid = ConcurrentHashMap.newKeySet();
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sent = new AtomicInteger();
  private final CompletableFuture<Void> done;

  private FrameStream(String bootstrap, Topics topics, String prefix, int count, int perSecond) {
    String[][] images = new String[3][VARIANTS];
    for (int identity = 1; identity <= 2; identity++) {
      for (int v = 0; v < VARIANTS; v++) {
        images[identity][v] = TestBundles.identityImageBase64(identity, 10 + v);
      }
    }
    done = CompletableFuture.runAsync(() -> {
      var config = new java.util.HashMap<>(KafkaTestSupport.producerConfig(bootstrap));
      config.put("enable.idempotence", "true");
      config.put("delivery.timeout.ms", "120000");
      config.put("linger.ms", "5");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          long due = start + (long) (i * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          String id = String.format("%s-%06d", prefix, i);
          String camera = "cam-" + (i % 4);
          byte[] value;
          if (i % INVALID_EVERY == INVALID_EVERY - 1) {
            value = ("not json " + id).getBytes(StandardCharsets.UTF_8);
            invalid.add(id);
          } else {
            int kind = i % 3;
            int identity = kind == 1 ? 2 : 1;
            String claim = kind == 0 ? "alice" : kind == 1 ? "bob" : null;
            value = Topics.FRAME_SERDE.toBytes(new Frame(id, camera, System.currentTimeMillis(),
                images[identity][i % VARIANTS], claim, null));
            valid.add(id);
          }
          producer.send(new ProducerRecord<>(topics.frames().name(), camera, value), (metadata, error) -> {
            if (error != null) {
              failures.add(error);
            } else {
              sent.incrementAndGet();
            }
          });
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("frame stream interrupted", e);
      }
    });
  }

  static FrameStream start(String bootstrap, Topics topics, String prefix, int count, int perSecond) {
    return new FrameStream(bootstrap, topics, prefix, count, perSecond);
  }

  /** Waits (bounded) until every frame was acknowledged by the broker or failed. */
  void awaitSent(long timeoutSeconds) throws Exception {
    done.get(timeoutSeconds, TimeUnit.SECONDS);
  }

  boolean isDone() {
    return done.isDone();
  }

  Set<String> validFrameIds() {
    return new LinkedHashSet<>(valid);
  }

  Set<String> invalidFrameIds() {
    return new LinkedHashSet<>(invalid);
  }

  int acknowledged() {
    return sent.get();
  }

  List<Throwable> failures() {
    return List.copyOf(failures);
  }
}
