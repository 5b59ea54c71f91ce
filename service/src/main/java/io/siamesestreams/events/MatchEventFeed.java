package io.siamesestreams.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match events this instance's matchers produce, handed to live subscribers (the HTTP API's
 * event stream) as they are forwarded to {@code match-events}, before the transaction commits: under
 * exactly-once a subscriber may see an event of a transaction that is later aborted and retried.
 *
 * <p>{@link #publish} runs on a stream thread: subscribers must return at once (queue the event,
 * drop it when their queue is full), and a subscriber's exception is logged, never thrown into the
 * topology. One per service instance; without subscribers publishing costs one list read.
 */
public final class MatchEventFeed {

  private static final Logger log = LoggerFactory.getLogger(MatchEventFeed.class);

  private final List<Consumer<MatchEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Hands {@code event} to every subscriber. */
  public void publish(MatchEvent event) {
    for (Consumer<MatchEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        log.warn("match event feed: a subscriber failed; event {} not delivered to it", event.frameId(), e);
      }
    }
  }

  /** Subscribes until the returned handle is closed. */
  public Subscription subscribe(Consumer<MatchEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Subscribers now. */
  public int subscribers() {
    return subscribers.size();
  }

  /** Ends a subscription. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
