package dev.redock.model;

import java.time.Duration;
import java.util.Locale;

/**
 * How much of a registry's hourly budget of checks polling has used, and what the registry last said of its pull limit:
 * what the status bar shows for registries that have a budget (Docker Hub).
 *
 * @param registry      the registry as image references name it, e.g. {@code docker.io}
 * @param checksUsed    checks sent to it in the last hour
 * @param checksPerHour the most it is sent in any hour
 * @param pullsLeft     pulls left in the registry's window as it last said, or -1 when it never said
 * @param pullLimit     pulls it allows per window, or -1
 * @param pullWindow    that window, or null
 */
public record RegistryBudget(String registry, int checksUsed, int checksPerHour, int pullsLeft, int pullLimit,
                             Duration pullWindow) {

    /** The registry's name for a user: "Docker Hub" for {@code docker.io}. */
    public String displayName() {
        return registry.equals(ImageRef.DOCKER_HUB) ? "Docker Hub" : registry;
    }

    /** E.g. "Docker Hub: 120 of 1,800 checks this hour, 80 of 100 pulls left (per 6 h)". */
    public String describe() {
        String checks = displayName() + ": " + count(checksUsed) + " of " + count(checksPerHour) + " checks this hour";
        if (pullsLeft < 0 || pullLimit < 0) {
            return checks;
        }
        return checks + ", " + count(pullsLeft) + " of " + count(pullLimit) + " pulls left"
                + (pullWindow == null ? "" : " (per " + Durations.spoken(pullWindow) + ")");
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
