package io.siamesestreams.matching;

/**
 * The comparison of two embeddings.
 *
 * @param distance in the units of the manifest's metric
 * @param probability the head's probability of "same identity", NaN when the bundle has no head
 * @param match {@code distance <= threshold}
 */
public record PairScore(double distance, double probability, boolean match) {}
