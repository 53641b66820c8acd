package io.hyphae.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "sensors", "sensors.kitchen.temp", "ümlaut.日本語", "a-b_c.D9", "x.y.z.w.v"})
    void validTopicsAreAccepted(String name) {
        assertThat(Topic.of(name).name()).isEqualTo(name);
    }

    @Test
    void topicsAreEqualByName() {
        assertThat(Topic.of("sensors.temp")).isEqualTo(Topic.of("sensors.temp"))
                .hasSameHashCodeAs(Topic.of("sensors.temp")).hasSameHashCodeAs("sensors.temp")
                .isNotEqualTo(Topic.of("sensors.tem")).isNotEqualTo("sensors.temp");
    }

    @Test
    void emptyTopicIsRefused() {
        assertThatThrownBy(() -> Topic.of("")).isInstanceOf(InvalidTopicException.class).hasMessage("topic is empty");
    }

    @Test
    void emptyMiddleSegmentNamesItsPosition() {
        assertThatThrownBy(() -> Topic.of("a..b"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("topic segment 2 is empty: \"a..b\"");
    }

    @Test
    void leadingAndTrailingDotsMakeEmptySegments() {
        assertThatThrownBy(() -> Topic.of(".a")).hasMessageContaining("segment 1 is empty");
        assertThatThrownBy(() -> Topic.of("a.b.")).hasMessageContaining("segment 3 is empty");
        assertThatThrownBy(() -> Topic.of(".")).hasMessageContaining("segment 1 is empty");
    }

    @Test
    void controlCharactersAreRefusedWithTheirCodePoint() {
        assertThatThrownBy(() -> Topic.of("a\nb"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("U+000A at index 1");
        assertThatThrownBy(() -> Topic.of("a\u0000")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> Topic.of("a\u007f")).hasMessageContaining("U+007F");
        assertThatThrownBy(() -> Topic.of("a\u0085")).hasMessageContaining("U+0085");
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        assertThat(Topic.of("a".repeat(256)).utf8()).hasSize(256);
        assertThatThrownBy(() -> Topic.of("a".repeat(257)))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageStartingWith("topic is 257 UTF-8 bytes, more than 256");
        // 86 three-byte characters = 258 bytes although only 86 chars
        assertThatThrownBy(() -> Topic.of("日".repeat(86))).hasMessageStartingWith("topic is 258 UTF-8 bytes");
        assertThat(Topic.of("日".repeat(85)).utf8()).hasSize(255);
        // a surrogate pair is one 4-byte code point
        assertThat(Topic.of("😀".repeat(64)).utf8()).hasSize(256);
        assertThatThrownBy(() -> Topic.of("😀".repeat(64) + "a")).hasMessageStartingWith("topic is 257 UTF-8 bytes");
        assertThat(Topic.of("é".repeat(128)).utf8()).hasSize(256);
    }

    @Test
    void unpairedSurrogateIsNotUtf8() {
        assertThatThrownBy(() -> Topic.of("a\uDC00b")).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> Topic.of("a\uD800"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void nullIsANullPointer() {
        assertThatThrownBy(() -> Topic.of(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    }

    @Test
    void topicsAreValuesOrderedByName() {
        assertThat(Topic.of("a.b")).isEqualTo(new Topic("a.b")).hasSameHashCodeAs(Topic.of("a.b"));
        assertThat(Topic.of("a").compareTo(Topic.of("b"))).isNegative();
        assertThat(Topic.of("a.b")).hasToString("a.b");
    }
}
