package io.siamesestreams.identity;

import io.siamesestreams.identity.GalleryIndex.Neighbour;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The top-k step every index shares: candidates grouped by identity (one {@link Neighbour} per
 * identity, its nearest template), then the {@code k} nearest identities in the
 * {@link GalleryIndex#nearestIdentities} order (distance, then identity id). Not thread-safe; one
 * per query. Public for the bench module's approximate index.
 */
public final class NearestIdentities {

  /** Ascending distance, ties by identity id. */
  static final Comparator<Neighbour> ORDER =
      Comparator.comparingDouble(Neighbour::distance).thenComparing(Neighbour::identityId);

  private final Map<String, Neighbour> byIdentity = new HashMap<>();

  /** Whether {@code identityId} already has its neighbour here. */
  public boolean contains(String identityId) {
    return byIdentity.containsKey(identityId);
  }

  /** The neighbour kept for {@code identityId}, or null. */
  public Neighbour get(String identityId) {
    return byIdentity.get(identityId);
  }

  /** Number of identities grouped so far. */
  public int size() {
    return byIdentity.size();
  }

  /** Keeps {@code candidate} when its identity has none yet or it is nearer than the one kept. */
  public void offer(Neighbour candidate) {
    byIdentity.merge(candidate.identityId(), candidate, (kept, offered) ->
        offered.distance() < kept.distance() ? offered : kept);
  }

  /** Adds the identity's neighbour computed by {@code nearest} unless the identity is already here. */
  public void computeIfAbsent(String identityId, Function<String, Neighbour> nearest) {
    byIdentity.computeIfAbsent(identityId, nearest);
  }

  /** The {@code k} nearest identities, nearest first. */
  public List<Neighbour> best(int k) {
    return best(byIdentity.values(), k);
  }

  /** The {@code k} nearest of {@code neighbours} (one per identity), nearest first. */
  static List<Neighbour> best(Collection<Neighbour> neighbours, int k) {
    List<Neighbour> sorted = new ArrayList<>(neighbours);
    sorted.sort(ORDER);
    return sorted.size() > k ? new ArrayList<>(sorted.subList(0, k)) : sorted;
  }
}
