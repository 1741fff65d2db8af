package dev.redock.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import dev.redock.model.ImageRef;

/**
 * How many checks polling may send a registry in any hour, and which tags a cycle checks when it may not check them all.
 *
 * <p>Docker Hub has a budget ({@link #DOCKER_HUB_CHECKS_PER_HOUR}); other registries have none unless told. A cycle
 * checks a budgeted registry's tags up to its share of the hour (the budget spread evenly over the hour's cycles) and
 * never beyond what is left of the last hour's budget; the tags it leaves wait for the next cycles, those checked longest
 * ago going first, so every tag is checked in turn and none is dropped. Thread-safe.
 */
final class CheckBudget {

    /**
     * Docker Hub's budget. By Docker's documentation a check (a {@code HEAD} of a manifest, a "version check") does not
     * count against the pull rate limit (100 pulls per 6 hours anonymously, 200 signed in, per IP address), but every
     * request counts against the abuse rate limit, which applies to every user of one IPv4 address (or IPv6 /64) together
     * and is "in the order of thousands of requests per minute", changing with load. A check costs at most two requests
     * (its {@code HEAD}, and a token once per repository per token lifetime of 5 minutes), so this budget stays below a
     * hundred requests a minute: a small share of that limit, leaving the rest to the engines' pulls and to whatever else
     * shares the address. At the default interval of 60 s it checks 30 tags every cycle; more are spread over cycles.
     */
    static final int DOCKER_HUB_CHECKS_PER_HOUR = 1_800;

    private static final Duration HOUR = Duration.ofHours(1);

    private final ToIntFunction<String> limits;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    /** When each tag of a budgeted registry was last checked, by registry then tag key. */
    private final Map<String, Map<String, Instant>> lastChecked = new ConcurrentHashMap<>();

    /** Docker Hub's budget, none elsewhere. */
    CheckBudget() {
        this(registry -> registry.equals(ImageRef.DOCKER_HUB) ? DOCKER_HUB_CHECKS_PER_HOUR : 0);
    }

    /** @param limits each registry's checks per hour, 0 for no budget */
    CheckBudget(ToIntFunction<String> limits) {
        this.limits = limits;
    }

    /** The registry's checks per hour, or 0 when it has no budget. */
    int limit(String registry) {
        return limits.applyAsInt(registry);
    }

    /** The checks sent to the registry in the hour before {@code now}. */
    int used(String registry, Instant now) {
        Window w = windows.get(registry);
        return w == null ? 0 : w.count(now);
    }

    /** The registries that have a budget and were sent checks in the hour before {@code now}, with how many. */
    Map<String, Integer> inUse(Instant now) {
        Map<String, Integer> used = new java.util.TreeMap<>();
        windows.forEach((registry, w) -> {
            int n = w.count(now);
            if (n > 0) {
                used.put(registry, n);
            }
        });
        return used;
    }

    /**
     * Which of one registry's tags this cycle checks: all of them when it has no budget; else those checked longest ago
     * (never checked first), as many as the cycle's share of the hour and what is left of the last hour's budget allow.
     *
     * @param tags     the tags' keys ({@link ImageRef#tagKey()})
     * @param interval the time between cycles, which sets the cycle's share of the hour
     */
    List<String> choose(String registry, List<String> tags, Duration interval, Instant now) {
        int limit = limit(registry);
        if (limit <= 0) {
            return tags;
        }
        Map<String, Instant> checked = lastChecked.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
        checked.keySet().retainAll(new HashSet<>(tags));
        long share = Math.max(1, (long) Math.ceil((double) limit * Math.max(1, interval.toMillis()) / HOUR.toMillis()));
        int allowed = (int) Math.max(0, Math.min(share, limit - used(registry, now)));
        if (allowed >= tags.size()) {
            return tags;
        }
        List<String> oldestFirst = new ArrayList<>(tags);
        oldestFirst.sort(Comparator.comparing(t -> checked.getOrDefault(t, Instant.MIN)));
        return List.copyOf(oldestFirst.subList(0, allowed));
    }

    /** Counts a check sent to the registry (whatever its answer) and notes when the tag was checked. */
    void spend(String registry, String tagKey, Instant now) {
        if (limit(registry) <= 0) {
            return;
        }
        windows.computeIfAbsent(registry, r -> new Window()).add(now);
        lastChecked.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).put(tagKey, now);
    }

    /** Counts per minute over the last hour: sixty numbers per registry, however many checks. */
    private static final class Window {
        private static final int MINUTES = 60;
        private final long[] minute = new long[MINUTES];
        private final int[] count = new int[MINUTES];

        synchronized void add(Instant now) {
            long m = now.getEpochSecond() / 60;
            int i = (int) Math.floorMod(m, (long) MINUTES);
            if (minute[i] != m) {
                minute[i] = m;
                count[i] = 0;
            }
            count[i]++;
        }

        synchronized int count(Instant now) {
            long m = now.getEpochSecond() / 60;
            int total = 0;
            for (int i = 0; i < MINUTES; i++) {
                if (minute[i] > m - MINUTES && minute[i] <= m) {
                    total += count[i];
                }
            }
            return total;
        }
    }
}
