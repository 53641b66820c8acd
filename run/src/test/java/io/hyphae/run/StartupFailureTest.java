package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

class StartupFailureTest {

    /** The text SCR keeps as a component's failure: the stack trace of what its constructor threw, wrapped. */
    private static String scrFailure(Throwable thrown) {
        StringWriter text = new StringWriter();
        new InvocationTargetException(thrown).printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void namesTheExceptionTheConstructorThrew() {
        var bind = new java.net.BindException("Address already in use");
        String failure = scrFailure(new IllegalStateException("cannot bind TCP 127.0.0.1:7711", bind));

        assertThat(StartupFailure.reason(failure)).isEqualTo("cannot bind TCP 127.0.0.1:7711");
    }

    @Test
    void withoutAnyMessageTheInnermostExceptionIsNamed() {
        String failure = scrFailure(new NullPointerException());

        assertThat(StartupFailure.reason(failure)).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void noTextSaysSo() {
        assertThat(StartupFailure.reason(null)).isEqualTo("activation failed (no reason given)");
    }
}
