package dev.redock.ui.tray;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;

/**
 * One of the last deployments, as the tray's menu lists it ({@code web · succeeded · 14:02}); choosing it opens the service.
 */
public record RecentDeployment(UUID serviceId, String serviceName, Outcome outcome, Instant ended) {

    public RecentDeployment {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static RecentDeployment of(Service service, Deployment d) {
        return new RecentDeployment(service.id(), service.name(), d.outcome(), d.ended());
    }

    /** The menu item's label. */
    public String label(java.time.ZoneId zone) {
        String when = ended == null ? "" : " · " + java.time.format.DateTimeFormatter.ofPattern("HH:mm", java.util.Locale.ROOT)
                .withZone(zone).format(ended);
        return serviceName + " · " + NotificationText.outcome(outcome) + when;
    }
}
