package dev.redock.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's output, for {@link DockerEngine}: the last lines it wrote, read within a few seconds, so that a failure
 * can show what the container said.
 */
final class ContainerLogs {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogs.class);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

    private final EngineContext engine;

    ContainerLogs(EngineContext engine) {
        this.engine = engine;
    }

    List<String> logTail(String id, int lines) throws EngineException {
        var callback = new ResultCallback.Adapter<Frame>() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public void onNext(Frame frame) {
                synchronized (text) {
                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        };
        try (callback) {
            engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines).withFollowStream(false).exec(callback);
            if (!StreamCallback.awaitEnd(callback, LOG_TIMEOUT, "reading the logs of " + id)) {
                LOG.debug("Reading the logs of {} did not finish within {}; using what came", id, LOG_TIMEOUT);
            }
        } catch (NotFoundException e) {
            throw new ContainerNotFoundException(id, e);
        } catch (IOException e) {
            LOG.debug("Closing the log stream of {} failed", id, e);
        } catch (RuntimeException e) {
            throw engine.failed("reading the logs of " + id, e);
        }
        String text;
        synchronized (callback.text) {
            text = callback.text.toString();
        }
        Deque<String> tail = new ArrayDeque<>();
        for (String line : text.split("\r?\n")) {
            if (tail.size() == lines) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        if (tail.size() == 1 && tail.getFirst().isEmpty()) {
            return List.of();
        }
        return List.copyOf(tail);
    }
}
