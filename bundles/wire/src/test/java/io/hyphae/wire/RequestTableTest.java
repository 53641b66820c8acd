package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestTableTest {

    /** Puts, gets and removes against a HashMap: ids from a counter (as requests) and random ones alike. */
    @Test
    void agreesWithAReferenceMapUnderRandomOperations() {
        RequestTable<String> table = new RequestTable<>();
        Map<Long, String> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(3);
        long counter = 0;
        for (int step = 0; step < 300_000; step++) {
            long id = random.nextInt(4) == 0 ? 1 + random.nextLong(5_000) * 16 // one stripe: long probe runs
                    : random.nextBoolean() ? ++counter : 1 + random.nextLong(Math.max(1, counter));
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    String value = "v" + step;
                    table.put(id, value);
                    model.put(id, value);
                }
                case 2 -> assertThat(table.get(id)).isEqualTo(model.get(id));
                case 3 -> assertThat(table.remove(id)).isEqualTo(model.remove(id));
                default -> {
                    String current = model.get(id);
                    String asked = random.nextBoolean() ? current : "other";
                    boolean removed = table.remove(id, asked);
                    assertThat(removed).isEqualTo(current != null && current == asked);
                    if (removed) {
                        model.remove(id);
                    }
                }
            }
            if (step % 10_000 == 0) {
                assertThat(table.size()).isEqualTo(model.size());
                // values are distinct objects: set equality plus size is multiset equality, and linear
                assertThat(new HashSet<>(table.values())).isEqualTo(new HashSet<>(model.values()));
            }
        }
        model.forEach((id, value) -> assertThat(table.get(id)).isEqualTo(value));
        assertThat(table.size()).isEqualTo(model.size());
    }

    @Test
    void removeWithAValueComparesByIdentity() {
        RequestTable<String> table = new RequestTable<>();
        String value = new String("a");
        table.put(7, value);
        assertThat(table.remove(7, new String("a"))).isFalse();
        assertThat(table.remove(7, value)).isTrue();
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.get(7)).isNull();
    }

    @Test
    void idZeroIsNoKey() {
        RequestTable<String> table = new RequestTable<>();
        assertThatThrownBy(() -> table.put(0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.get(0)).isNull();
        assertThat(table.remove(0)).isNull();
    }
}
