package dev.redock.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;

/**
 * What every part of {@link DockerEngine} shares: the client, and what its calls need besides.
 *
 * @param slowClients     the client for the calls that may rightly take longer than an ordinary answer (a build step may
 *                        be silent that long, a container may have a long stop timeout), made on first use
 * @param address         where the engine is, for the messages; null when none could be chosen (then
 *                        {@code linkProblem} says why)
 * @param responseTimeout how long {@code client} waits for an answer
 * @param commonLabels    labels put on every container and image Redock makes there
 * @param linkProblem     why the way to the engine failed, when that is known better than the connection's own error:
 *                        a TLS folder that cannot be used, or what the ssh tunnel met last (signing in,
 *                        {@code dial-stdio}); answers null when nothing is
 */
record EngineContext(DockerClient client, Supplier<DockerClient> slowClients, EngineAddress address, Duration responseTimeout,
                     Map<String, String> commonLabels, Supplier<String> linkProblem) {

    /** The client for slow calls, made on first use (most processes never make one). */
    DockerClient slowClient() {
        return slowClients.get();
    }

    /** Any failure of {@code action} ("starting web") that has no more specific meaning. */
    EngineException failed(String action, RuntimeException e) {
        if (DockerErrors.isConnectionFailure(e)) {
            return unavailable(e);
        }
        return DockerErrors.generic(action, e);
    }

    /** The connection to the engine failed: what the link in between knows, or else what the connection says. */
    EngineUnavailableException unavailable(Throwable e) {
        return DockerErrors.unavailable(address, linkProblem.get(), e);
    }

    /**
     * Runs a removal ({@code what}: "image web:1", "volume data"). Returns false when there was nothing to remove; fails
     * when something still uses it.
     */
    boolean remove(String what, Runnable removal) throws EngineException {
        try {
            removal.run();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (ConflictException e) {
            throw new EngineException(what + " is still in use: " + DockerErrors.daemonMessage(e), e);
        } catch (RuntimeException e) {
            throw failed("removing " + what, e);
        }
    }

    /** What a look-up call answers, or empty when the engine has no such thing; {@code action} names it in a failure. */
    <T> Optional<T> lookUp(String action, Supplier<T> call) throws EngineException {
        try {
            return Optional.of(call.get());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failed(action, e);
        }
    }
}
