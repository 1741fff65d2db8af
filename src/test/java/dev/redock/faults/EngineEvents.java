package dev.redock.faults;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;

/**
 * The engine's own account of what happens to containers ({@code docker events}), as it happens: how a case sees that a
 * deployment reached a step (the old container renamed aside, the new one started) and acts at that moment.
 */
final class EngineEvents implements AutoCloseable {

    private final List<Event> events = new ArrayList<>();
    private final ResultCallback.Adapter<Event> callback;

    private EngineEvents(DockerClient docker) {
        callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                synchronized (events) {
                    events.add(event);
                    events.notifyAll();
                }
            }
        };
        docker.eventsCmd().withSince(Long.toString(Instant.now().getEpochSecond() - 1)).withEventTypeFilter("container")
                .exec(callback);
    }

    /** Follows the engine's container events from now on. */
    static EngineEvents follow(DockerClient docker) {
        return new EngineEvents(docker);
    }

    /** Where the events seen so far end: {@link #await(String, Predicate, Duration, int)} looks only after it. */
    int mark() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Waits for the first event (since following began) that matches; fails with what was seen when none comes in time. */
    Event await(String what, Predicate<Event> matches, Duration timeout) {
        return await(what, matches, timeout, 0);
    }

    /** Waits for the first event after {@code mark} that matches; fails with what was seen when none comes in time. */
    Event await(String what, Predicate<Event> matches, Duration timeout, int mark) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Event e : events.subList(Math.min(mark, events.size()), events.size())) {
                    if (matches.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the engine showed no " + what + " within " + timeout.toSeconds() + " s; it showed: "
                            + events.stream().map(EngineEvents::describe).toList());
                }
                try {
                    events.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** An event of this action on a container carrying this label (e.g. a service's uuid). */
    static Predicate<Event> action(String action, String label, String value) {
        return e -> action(e).equals(action) && value.equals(attributes(e).get(label));
    }

    /** The action without its details ({@code kill}, not {@code kill: signal=15}: older engines append them). */
    static String action(Event e) {
        String a = e.getAction() == null ? String.valueOf(e.getStatus()) : e.getAction();
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    static Map<String, String> attributes(Event e) {
        return e.getActor() == null || e.getActor().getAttributes() == null ? Map.of() : e.getActor().getAttributes();
    }

    static String describe(Event e) {
        return action(e) + " " + attributes(e).getOrDefault("name", e.getId());
    }

    @Override
    public void close() {
        try {
            callback.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
