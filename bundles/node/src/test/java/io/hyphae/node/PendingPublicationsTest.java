package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PendingPublicationsTest {
    private final Random random = new Random(3);

    private Publication publication() {
        Message m = new Message(MessageId.random(random), "default", Topic.of("a.b"), new byte[0], Qos.AT_MOST_ONCE,
                Fakes.node(1), Instant.EPOCH);
        return new Publication(m, 0, new Publication.Next() {
            @Override
            public void route(Publication publication, List<Subscriber> subscribers) {
            }

            @Override
            public void dropped(Publication publication, String reason) {
            }

            @Override
            public void routed(Publication publication, Router.Delivery delivery, Throwable failure) {
            }
        }, Runnable::run);
    }

    @Test
    void removesFromAnyPlaceOnceAndListsWhatIsLeft() {
        PendingPublications pending = new PendingPublications();
        List<Publication> left = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Publication p = publication();
            left.add(p);
            pending.add(p);
        }
        for (int i = 0; i < 70; i++) {
            Publication p = left.remove(random.nextInt(left.size()));
            assertThat(pending.remove(p)).isTrue();
            assertThat(pending.remove(p)).as("answered once").isFalse();
        }
        assertThat(pending.snapshot()).containsExactlyInAnyOrderElementsOf(left);
        left.forEach(pending::remove);
        assertThat(pending.snapshot()).isEmpty();
    }
}
