package io.hyphae.dht;

import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Record;
import java.util.List;

/**
 * What one lookup found.
 *
 * @param closest nearest nodes that answered, nearest first, at most k
 * @param records verified live records, the highest seq per publisher (FIND_VALUE only; else empty)
 * @param stats   how the lookup went
 */
public record LookupResult(List<Contact> closest, List<Record> records, LookupStats stats) {
    public LookupResult {
        closest = List.copyOf(closest);
        records = List.copyOf(records);
    }
}
