package io.hyphae.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Table.of("NAME", "COUNT", "NOTE").rightAlign(1)
                .row("a", 1, "x")
                .row("longer-name", 12345, null)
                .print(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo(
                "NAME         COUNT  NOTE\n"
                + "a                1  x\n"
                + "longer-name  12345  -\n");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> Table.of("A", "B").row("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
