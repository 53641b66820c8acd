package io.hyphae.dht;

import io.hyphae.spi.dht.Key;

/**
 * How one lookup went, with the names SPEC uses.
 *
 * @param target      what was looked up
 * @param value       a FIND_VALUE lookup (else FIND_NODE)
 * @param hops        referral depth of the nearest node that answered (the asking node's own contacts are 1); 0
 *                    when none answered
 * @param rounds      iterations of the lookup loop: the initial alpha requests are round 1, a request sent when a
 *                    round-r answer came is round r + 1; the highest round sent
 * @param valueRounds round of the first request a holder answered with records; 0 when none did
 * @param rpcs        requests sent, including further pages of values
 * @param failures    requests that failed, timed out or were answered with garbage
 * @param holders     nodes that answered with records
 * @param records     distinct records found (one per publisher)
 * @param durationMs  time from start to end on the node's clock
 */
public record LookupStats(Key target, boolean value, int hops, int rounds, int valueRounds, int rpcs, int failures,
                          int holders, int records, long durationMs) {
}
