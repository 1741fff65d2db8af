package dev.redock.deploy;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.redock.engine.EngineException;
import dev.redock.engine.EngineUnavailableException;
import dev.redock.engine.PortInUseException;

/**
 * Tells a failure of the version itself (its container exited or turned unhealthy, its build failed on its own content)
 * from a passing one (the engine restarting or out of reach, a registry or network that failed for a moment, a full disk,
 * a host port someone else holds). Only the first marks a version as tried, which keeps polls from trying it again; a
 * passing failure is retried, with backoff, and the service's status says why.
 */
final class Failures {

    private static final Pattern PASSING = Pattern.compile(String.join("|",
            "no space left on device", "connection refused", "connection reset", "broken pipe", "i/o timeout",
            "tls handshake timeout", "context deadline exceeded", "toomanyrequests", "too many requests",
            "service unavailable", "bad gateway", "gateway timeout", "temporary failure", "network is unreachable",
            "no route to host", "is restarting", "did not finish within", "did not answer in time", "unexpected eof",
            "is unreachable", "server misbehaving", "timeout exceeded", "cannot connect to the docker daemon"));

    private Failures() {
    }

    /** Whether an engine failure passes by itself (retry later) rather than says anything about the version. */
    static boolean passing(Throwable e) {
        if (e instanceof EngineUnavailableException || e instanceof PortInUseException) {
            return true;
        }
        return passing(e.getMessage());
    }

    static boolean passing(String message) {
        return message != null && PASSING.matcher(message.toLowerCase(Locale.ROOT)).find();
    }

    /** Whether the engine is out of reach, so that a deployment under way is left for recovery rather than undone now. */
    static boolean engineGone(EngineException e) {
        return e instanceof EngineUnavailableException;
    }
}
