package io.hyphae.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageTest {
    private static final MessageId ID = MessageId.random(new SplittableRandom(1));
    private static final NodeId FROM = NodeId.of(new byte[NodeId.BYTES]);
    private static final Topic TOPIC = Topic.of("a.b");
    private static final Instant AT = Instant.ofEpochMilli(5);

    @Test
    void theConstructorCopiesThePayloadInAndTheAccessorCopiesItOut() {
        byte[] payload = {1, 2, 3};
        Message m = new Message(ID, "default", TOPIC, payload, Qos.AT_MOST_ONCE, FROM, AT);
        payload[0] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
        m.payload()[1] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
    }

    @Test
    void adoptingKeepsTheArrayItIsHanded() {
        byte[] payload = {1, 2, 3};
        Message m = Message.adopting(ID, "default", TOPIC, payload, Qos.AT_LEAST_ONCE, FROM, AT);
        payload[0] = 9; // breaks the caller's promise, which shows that nothing was copied
        assertThat(m.payload()).containsExactly(9, 2, 3);
        assertThat(m).isEqualTo(new Message(ID, "default", TOPIC, new byte[] {9, 2, 3}, Qos.AT_LEAST_ONCE, FROM, AT));
    }

    @Test
    void onlyTheAdoptedArrayEscapesTheCopy() {
        byte[] adopted = {1};
        Message.adopting(ID, "default", TOPIC, adopted, Qos.AT_MOST_ONCE, FROM, AT);
        byte[] next = {2};
        Message m = new Message(ID, "default", TOPIC, next, Qos.AT_MOST_ONCE, FROM, AT);
        next[0] = 7;
        assertThat(m.payload()).containsExactly(2);
    }

    @Test
    void aFailedAdoptionLeavesNothingBehindForTheNextConstructor() {
        byte[] payload = {1};
        assertThatThrownBy(() -> Message.adopting(ID, null, TOPIC, payload, Qos.AT_MOST_ONCE, FROM, AT))
                .isInstanceOf(NullPointerException.class).hasMessage("realm");
        Message m = new Message(ID, "default", TOPIC, payload, Qos.AT_MOST_ONCE, FROM, AT);
        payload[0] = 7;
        assertThat(m.payload()).containsExactly(1);
        assertThatThrownBy(() -> Message.adopting(ID, "default", TOPIC, null, Qos.AT_MOST_ONCE, FROM, AT))
                .isInstanceOf(NullPointerException.class).hasMessage("payload");
    }

    @Test
    void payloadBufferIsAReadOnlyViewOfTheWholePayload() {
        Message m = new Message(ID, "default", TOPIC, new byte[] {4, 5, 6}, Qos.AT_MOST_ONCE, FROM, AT);
        ByteBuffer view = m.payloadBuffer();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.remaining()).isEqualTo(3);
        assertThat(view.get(2)).isEqualTo((byte) 6);
        assertThatThrownBy(() -> view.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        view.get();
        assertThat(m.payloadBuffer().position()).isZero();
    }
}
