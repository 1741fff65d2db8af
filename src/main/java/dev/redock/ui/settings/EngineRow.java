package dev.redock.ui.settings;

import dev.redock.model.EngineEntry;
import dev.redock.model.EngineStatus;

/**
 * One engine in Settings: where it is, its state as last asked, how many services run there, and whether new services go
 * there.
 */
public record EngineRow(EngineStatus status, int services, boolean forNew) {

    public String name() {
        return status.name();
    }

    /** Where it was found and why there ({@code unix:///var/run/docker.sock (DOCKER_HOST)}), or where the list says it is. */
    public String where() {
        return status.address() == null ? status.entry().describe()
                : status.address() + (status.source() == null ? "" : " (" + status.source() + ")");
    }

    /** {@code connected: Docker 20.10.24 (API 1.41)}, {@code unreachable: <why>} or {@code not checked yet}. */
    public String state() {
        return status.describeState();
    }

    /** Whether it was asked and did not answer. */
    public boolean unreachable() {
        return status.checked() != null && !status.reachable();
    }

    /** Whether it shows the same as {@code other}: asked again with the same answer, an engine looks the same. */
    public boolean looksLike(EngineRow other) {
        return name().equals(other.name()) && where().equals(other.where()) && state().equals(other.state())
                && services == other.services && forNew == other.forNew
                && status.limitations().equals(other.status.limitations());
    }

    /** The default engine (the docker CLI's own) stays in the list. */
    public boolean removable() {
        return status.entry().kind() != EngineEntry.Kind.CURRENT;
    }
}
