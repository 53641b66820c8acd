package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StdinCommandsTest {
    @Test
    void exitTakesAnOptionalStatus() {
        assertThat(StdinCommands.exitStatus("exit")).isZero();
        assertThat(StdinCommands.exitStatus("exit 3")).isEqualTo(3);
        assertThat(StdinCommands.exitStatus("exit   7")).isEqualTo(7);
    }

    @Test
    void anythingElseIsAGogoCommand() {
        assertThat(StdinCommands.exitStatus("exits")).isNull();
        assertThat(StdinCommands.exitStatus("exit now")).isNull(); // Gogo words the error
        assertThat(StdinCommands.exitStatus("exit 1 2")).isNull();
        assertThat(StdinCommands.exitStatus("hyphae:publish exit 1")).isNull();
    }
}
