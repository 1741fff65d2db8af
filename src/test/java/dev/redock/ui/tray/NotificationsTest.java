package dev.redock.ui.tray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.redock.app.AppIcons;
import dev.redock.model.Deployment;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.service.EventHub;

import static dev.redock.ui.tray.NotificationTextTest.finished;
import static dev.redock.ui.tray.NotificationTextTest.service;
import static org.assertj.core.api.Assertions.assertThat;

class NotificationsTest {

    /** A tray that keeps what it is shown. */
    static final class FakeTray implements Tray {
        final List<Notification> notified = new CopyOnWriteArrayList<>();
        final List<AppIcons.State> states = new CopyOnWriteArrayList<>();
        volatile List<RecentDeployment> recent = List.of();
        volatile boolean paused;
        volatile boolean closed;
        volatile AppIcons.Glyph glyph;
        final boolean available;

        FakeTray(boolean available) {
            this.available = available;
        }

        @Override
        public boolean install(TrayActions actions) {
            return available;
        }

        @Override
        public boolean isAvailable() {
            return available && !closed;
        }

        @Override
        public void notify(Notification n) {
            notified.add(n);
        }

        @Override
        public void setState(AppIcons.State state) {
            states.add(state);
        }

        @Override
        public void setPaused(boolean p) {
            paused = p;
        }

        @Override
        public void setRecent(List<RecentDeployment> r) {
            recent = List.copyOf(r);
        }

        @Override
        public void setGlyph(AppIcons.Glyph g) {
            glyph = g;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FakeTray tray = new FakeTray(true);
    private final AtomicBoolean muted = new AtomicBoolean();
    private final List<AppIcons.State> windowStates = new ArrayList<>();
    private final EventHub hub = new EventHub();
    private final Notifications notifications = new Notifications(tray, muted::get, windowStates::add);

    @Test
    void aRedeployFromTheCoresEventsNotifiesNamingTheServiceAndTheIconShowsDeployingMeanwhile() throws Exception {
        try (AutoCloseable sub = notifications.subscribe(hub)) {
            Service web = service("web");
            Deployment d = finished(web, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null);
            hub.deploymentStarted(web, d);
            assertThat(notifications.state()).isEqualTo(AppIcons.State.DEPLOYING);
            hub.deploymentFinished(web, d);
            assertThat(tray.notified).singleElement().satisfies(n -> assertThat(n.title()).isEqualTo("web redeployed"));
            assertThat(tray.states).containsExactly(AppIcons.State.DEPLOYING, AppIcons.State.IDLE);
            assertThat(windowStates).isEqualTo(tray.states);
            assertThat(tray.recent).extracting(RecentDeployment::serviceName).containsExactly("web");
        }
        hub.deploymentFinished(service("gone"), finished(service("gone"), Trigger.MANUAL, Outcome.FAILED, "x", null));
        assertThat(tray.notified).as("unsubscribed").hasSize(1);
    }

    @Test
    void mutedSuccessesStayQuietButRollbacksAndFailuresStillNotifyAndTheIconShowsTheFailure() {
        muted.set(true);
        Service web = service("web");
        Service api = service("api");
        notifications.deploymentFinished(web, finished(web, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        assertThat(tray.notified).isEmpty();
        notifications.deploymentFinished(api, finished(api, Trigger.REGISTRY_POLL, Outcome.ROLLED_BACK, "unhealthy", null));
        notifications.deploymentFinished(web, finished(web, Trigger.IMAGE_PUSH, Outcome.FAILED, "pull failed", null));
        assertThat(tray.notified).extracting(Notification::level)
                .containsExactly(Notification.Level.WARNING, Notification.Level.ERROR);
        assertThat(notifications.state()).isEqualTo(AppIcons.State.FAILURE);

        muted.set(false);
        notifications.deploymentFinished(web, finished(web, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        notifications.deploymentFinished(api, finished(api, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        assertThat(notifications.state()).as("every service's last deployment succeeded").isEqualTo(AppIcons.State.IDLE);
        assertThat(tray.notified).hasSize(4);
    }

    @Test
    void aLaunchIsNotNotifiedButIsListedAmongTheRecentDeployments() {
        Service web = service("web");
        notifications.deploymentFinished(web, finished(web, Trigger.LAUNCH, Outcome.SUCCEEDED, null, null));
        assertThat(tray.notified).isEmpty();
        assertThat(tray.recent).hasSize(1);
    }

    @Test
    void theMenuListsTheLastFiveNewestFirst() {
        for (int i = 1; i <= 7; i++) {
            Service s = service("svc" + i);
            notifications.deploymentFinished(s, finished(s, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        }
        assertThat(tray.recent).extracting(RecentDeployment::serviceName).containsExactly("svc7", "svc6", "svc5", "svc4", "svc3");
    }

    @Test
    void aFailedSettingsReadDoesNotSwallowTheNotification() {
        Notifications n = new Notifications(tray, () -> {
            throw new IllegalStateException("database closed");
        }, s -> { });
        Service web = service("web");
        n.deploymentFinished(web, finished(web, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        assertThat(tray.notified).hasSize(1);
    }
}
