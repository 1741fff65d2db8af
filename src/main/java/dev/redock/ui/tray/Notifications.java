package dev.redock.ui.tray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.AppIcons;
import dev.redock.model.DeployEvents;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.service.EventHub;

/**
 * Turns the core's deployment events into what the tray shows: a notification for every redeploy that ends (successes
 * muted if the settings say so), the icon's state (deploying while any deployment runs, failure while some service's last
 * deployment did not succeed, else idle), and the last few deployments for the menu.
 *
 * <p>The core calls on its worker threads; so does this class call the tray, which hands over to its own toolkit's thread.
 * No toolkit here.
 */
public final class Notifications implements DeployEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    /** How many deployments the tray's menu lists. */
    public static final int RECENT = 5;

    private final Tray tray;
    private final BooleanSupplier successesMuted;
    private final Consumer<AppIcons.State> stateListener;
    private final Set<UUID> deploying = new HashSet<>();
    private final Map<UUID, Outcome> lastOutcome = new HashMap<>();
    private final List<RecentDeployment> recent = new ArrayList<>();
    private AppIcons.State state = AppIcons.State.IDLE;

    /**
     * @param successesMuted asked at each success (on the core's thread; it may read the database)
     * @param stateListener  told when the state changes, on the core's thread (e.g. for the window's icon)
     */
    public Notifications(Tray tray, BooleanSupplier successesMuted, Consumer<AppIcons.State> stateListener) {
        this.tray = tray;
        this.successesMuted = successesMuted;
        this.stateListener = stateListener;
    }

    /** Starts following {@code hub}; close what it returns to stop. */
    public AutoCloseable subscribe(EventHub hub) {
        return hub.subscribe(this);
    }

    /** Fills the menu's list with deployments from before this run (e.g. each service's latest), newest first. */
    public void seed(List<RecentDeployment> earlier) {
        List<RecentDeployment> list;
        synchronized (this) {
            for (RecentDeployment r : earlier) {
                if (recent.size() < RECENT && recent.stream().noneMatch(x -> x.equals(r))) {
                    recent.add(r);
                }
                lastOutcome.putIfAbsent(r.serviceId(), r.outcome());
            }
            recent.sort(Comparator.comparing(RecentDeployment::ended, Comparator.nullsLast(Comparator.reverseOrder())));
            list = List.copyOf(recent);
        }
        tray.setRecent(list);
        updateState();
    }

    @Override
    public void deploymentStarted(Service service, Deployment deployment) {
        synchronized (this) {
            deploying.add(service.id());
        }
        updateState();
    }

    @Override
    public void deploymentFinished(Service service, Deployment d) {
        List<RecentDeployment> list;
        synchronized (this) {
            deploying.remove(service.id());
            lastOutcome.put(service.id(), d.outcome());
            recent.add(0, RecentDeployment.of(service, d));
            while (recent.size() > RECENT) {
                recent.remove(recent.size() - 1);
            }
            list = List.copyOf(recent);
        }
        tray.setRecent(list);
        updateState();
        if (NotificationText.notifies(d) && !(d.outcome() == Outcome.SUCCEEDED && muted())) {
            tray.notify(NotificationText.of(service, d));
        }
    }

    @Override
    public void servicesChanged() {
        // A removed service's failure no longer counts: forgotten when it deploys again or at the next run.
    }

    /** The icon's state now. */
    public synchronized AppIcons.State state() {
        return state;
    }

    private void updateState() {
        AppIcons.State now;
        synchronized (this) {
            now = !deploying.isEmpty() ? AppIcons.State.DEPLOYING
                    : lastOutcome.values().stream().anyMatch(o -> o == Outcome.FAILED || o == Outcome.ROLLED_BACK)
                            ? AppIcons.State.FAILURE : AppIcons.State.IDLE;
            if (now == state) {
                return;
            }
            state = now;
            // Under the lock, so two threads never hand the states over in the wrong order (both calls only post).
            tray.setState(now);
            stateListener.accept(now);
        }
    }

    private boolean muted() {
        try {
            return successesMuted.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read whether successes are muted: {}; notifying", e.getMessage());
            return false;
        }
    }
}
