package io.hyphae.run;

import java.util.Optional;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Finds a Hyphae component that SCR could not activate (a transport whose port is taken, say) and says why in one
 * line. Without it the launcher would print SCR's stack traces and then wait forever for "node ready".
 */
final class StartupFailure {
    private static final String HYPHAE_BUNDLES = "io.hyphae.";
    private static final String CAUSED_BY = "Caused by: ";

    private StartupFailure() {
    }

    /** The first Hyphae component in state failed activation, as {@code <bundle>: <reason>}. */
    static Optional<String> find(ServiceComponentRuntime runtime) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith(HYPHAE_BUNDLES)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return Optional.of(description.bundle.symbolicName + ": " + reason(configuration.failure));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The message of the exception the component threw, from SCR's stack trace text: SCR wraps a constructor's
     * exception in a message-less InvocationTargetException, so the first exception line that has a message wins.
     */
    static String reason(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return "activation failed (no reason given)";
        }
        String innermost = null;
        for (String line : stackTrace.split("\\R")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue; // a stack frame or "... n more"
            }
            String exception = line.startsWith(CAUSED_BY) ? line.substring(CAUSED_BY.length()) : line;
            int colon = exception.indexOf(": ");
            if (colon > 0) {
                return exception.substring(colon + 2);
            }
            innermost = exception.trim();
        }
        return innermost; // no exception in the chain has a message: name the innermost one
    }
}
