package dev.redock.ui.tray;

import java.util.Locale;

import dev.redock.model.CommitInfo;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;

/**
 * The words of a deployment's notification: which service, what changed (the old and the new digest, or the commit built),
 * and how it ended. Plain text, no toolkit: the tray and the window show the same words.
 */
public final class NotificationText {

    /** Longest reason shown; the service's history keeps all of it. */
    static final int MAX_REASON = 160;

    private NotificationText() {
    }

    /** Whether a finished deployment is worth a notification: every redeploy is; a launch is shown where it was asked for. */
    public static boolean notifies(Deployment d) {
        return d.outcome() != Outcome.RUNNING && d.trigger() != Trigger.LAUNCH;
    }

    /** The notification for a finished deployment of {@code service}. */
    public static Notification of(Service service, Deployment d) {
        String name = service.name();
        String change = change(service, d);
        return switch (d.outcome()) {
            case SUCCEEDED -> new Notification(Notification.Level.INFO, service.id(), name + " redeployed",
                    change + " (succeeded)");
            case ROLLED_BACK -> new Notification(Notification.Level.WARNING, service.id(), name + " rolled back",
                    change + " did not come up" + reason(d.error()) + "; the previous version runs again");
            case FAILED -> new Notification(Notification.Level.ERROR, service.id(), name + " failed to redeploy",
                    change + " failed" + reason(d.error()));
            case INTERRUPTED -> new Notification(Notification.Level.WARNING, service.id(), name + " redeploy interrupted",
                    change + " was cut short" + reason(d.error()) + "; it is tried again");
            case RUNNING -> new Notification(Notification.Level.INFO, service.id(), name + " is redeploying", change);
        };
    }

    /** {@code 3f2a1b4c5d6e → 9c8d7e6f5a4b}, or for a service built from source {@code commit 9c8d7e1 “Fix the header”}. */
    static String change(Service service, Deployment d) {
        CommitInfo commit = d.commit();
        if (commit != null) {
            String message = commit.message() == null || commit.message().isBlank() ? ""
                    : " “" + shorten(commit.message().strip(), 72) + "”";
            return "commit " + commit.shortSha() + message;
        }
        String from = digest(d.oldDigest());
        String to = digest(d.newDigest());
        return from == null ? (to == null ? "the same image" : to) : from + " → " + (to == null ? "?" : to);
    }

    /** The first 12 hex digits of a digest, as Docker shows it; null for none. */
    static String digest(String digest) {
        if (digest == null || digest.isBlank()) {
            return null;
        }
        String hex = digest.contains(":") ? digest.substring(digest.indexOf(':') + 1) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static String reason(String error) {
        if (error == null || error.isBlank()) {
            return "";
        }
        String first = error.strip().lines().findFirst().orElse("").strip();
        return ": " + shorten(first, MAX_REASON);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1).stripTrailing() + "…";
    }

    /** The outcome's word for lists ({@code succeeded}, {@code rolled back}, {@code failed}). */
    public static String outcome(Outcome o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
