package io.siamesestreams.gateway.send;

import io.siamesestreams.frames.Frame;
import io.siamesestreams.gateway.gate.DropReason;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.topology.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends frames to the {@code frames} topic (JSON {@link Frame}, key = camera id) from one thread,
 * through a bounded queue.
 *
 * <p>Back-pressure: when the broker is slow or down, {@code Producer.send} blocks (its own buffer,
 * {@code buffer.memory}, is full or metadata is missing) and the queue fills; a frame submitted to a
 * full queue evicts the oldest one, counted as {@link DropReason#QUEUE_FULL}. Memory is therefore
 * bounded by {@code capacity} encoded frames plus the producer's {@code buffer.memory}. A frame the
 * producer fails to deliver is counted as {@link DropReason#SEND_FAILED}. Delivery failures are
 * logged once when they start and once when deliveries resume.
 */
public final class FrameSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FrameSender.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final int capacity;
  private final GatewayMetrics metrics;
  private final ArrayDeque<OutgoingFrame> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean abandoned;
  private volatile boolean failing;

  /** Starts the sending thread; the sender owns {@code producer} and closes it. */
  public FrameSender(Producer<String, byte[]> producer, String topic, int capacity, GatewayMetrics metrics) {
    if (capacity < 1) {
      throw new IllegalArgumentException("send queue capacity must be >= 1, was " + capacity);
    }
    this.producer = producer;
    this.topic = topic;
    this.capacity = capacity;
    this.metrics = metrics;
    metrics.queueLength(this::queued);
    this.thread = new Thread(this::sendLoop, "gateway-sender");
    thread.start();
  }

  /** Queues {@code frame}; when the queue is full the oldest queued frame is dropped instead. */
  public void submit(OutgoingFrame frame) {
    OutgoingFrame evicted = null;
    lock.lock();
    try {
      if (queue.size() >= capacity) {
        evicted = queue.pollFirst();
      }
      queue.addLast(frame);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      metrics.dropped(evicted.cameraId(), DropReason.QUEUE_FULL);
    }
  }

  /** Frames waiting. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void sendLoop() {
    while (true) {
      OutgoingFrame next;
      lock.lock();
      try {
        while (queue.isEmpty() && !closing) {
          notEmpty.await(200, TimeUnit.MILLISECONDS);
        }
        if (queue.isEmpty() || abandoned) {
          return;
        }
        next = queue.pollFirst();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      send(next);
    }
  }

  private void send(OutgoingFrame frame) {
    Frame value = new Frame(frame.frameId(), frame.cameraId(), frame.captureEpochMillis(),
        Base64.getEncoder().encodeToString(frame.jpeg()), frame.claim(), frame.faceBox(),
        frame.aligned() ? Boolean.TRUE : null);
    try {
      producer.send(new ProducerRecord<>(topic, frame.cameraId(), Topics.FRAME_SERDE.toBytes(value)),
          (metadata, exception) -> acknowledged(frame, exception));
    } catch (RuntimeException e) {
      // send() itself throws when metadata stays unavailable for max.block.ms, or after close.
      acknowledged(frame, e);
    }
  }

  private void acknowledged(OutgoingFrame frame, Exception exception) {
    if (exception == null) {
      metrics.sent(frame.cameraId(), System.currentTimeMillis() - frame.captureEpochMillis());
      if (failing) {
        failing = false;
        LOG.info("deliveries to {} resumed", topic);
      }
      return;
    }
    metrics.dropped(frame.cameraId(), DropReason.SEND_FAILED);
    if (!failing) {
      failing = true;
      LOG.warn("cannot deliver frames to {} ({}); frames are dropped until the broker answers", topic,
          exception.toString());
    }
  }

  /**
   * Sends what is queued (for up to {@code drain}), then flushes and closes the producer within the
   * rest of {@code drain}; frames still queued after that are counted as {@link DropReason#QUEUE_FULL}.
   */
  public void close(Duration drain) {
    long deadline = System.nanoTime() + drain.toNanos();
    closing = true;
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Math.max(1, drain.toMillis()));
      // Past the drain time: the frame blocked in send() (no metadata) fails at the interrupt and is counted
      // before the thread ends; it takes no further frame.
      abandoned = true;
      thread.interrupt();
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      queue.forEach(left -> metrics.dropped(left.cameraId(), DropReason.QUEUE_FULL));
      queue.clear();
    } finally {
      lock.unlock();
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
