package io.siamesestreams.demo;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;

/**
 * Scores the service's output against the Fashion-MNIST simulator's ground truth: one event per
 * frame, a frame has an outcome when it gave an event or a dead letter. Thread-safe.
 */
final class Scoreboard extends DemoScoreboard<FrameTruth> {

  @Override
  boolean malformed(FrameTruth truth) {
    return truth.kind() == FrameTruth.Kind.MALFORMED;
  }

  @Override
  boolean score(MatchEvent event, FrameTruth truth) {
    return switch (truth.kind()) {
      case GENUINE -> genuineClaim(event.decision());
      case IMPOSTOR -> {
        impostorClaim(event.decision());
        // Every claimed identity is enrolled, so only NO_MATCH is right here (UNKNOWN_IDENTITY is not).
        yield event.decision() == Decision.NO_MATCH;
      }
      default -> identification(truth.trueIdentity().equals(event.identityId()));
    };
  }

  @Override
  synchronized long outcomes() {
    return events() + deadLettered();
  }
}
