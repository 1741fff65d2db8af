package dev.redock.ui.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redock.model.CommitInfo;
import dev.redock.model.ContainerSpec;
import dev.redock.model.Deployment;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.Outcome;
import dev.redock.model.Service;
import dev.redock.model.Trigger;

class NotificationTextTest {

    static final String OLD = "sha256:3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    static final String NEW = "sha256:9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d";
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static Service service(String name) {
        return new Service(UUID.randomUUID(), name, ImageRef.parse("127.0.0.1:5000/team/web:stable"), ContainerSpec.empty(), true,
                OLD, T0, T0);
    }

    static Deployment finished(Service s, Trigger trigger, Outcome outcome, String error, CommitInfo commit) {
        return new Deployment(7, s.id(), trigger, OLD, NEW, T0, T0.plusSeconds(9), outcome, error, commit);
    }

    @Test
    void aSuccessfulRedeployNamesTheServiceAndBothDigests() {
        Service web = service("web");
        Notification n = NotificationText.of(web, finished(web, Trigger.REGISTRY_POLL, Outcome.SUCCEEDED, null, null));
        assertThat(n.level()).isEqualTo(Notification.Level.INFO);
        assertThat(n.serviceId()).isEqualTo(web.id());
        assertThat(n.oneLine()).isEqualTo("web redeployed: 3f2a1b4c5d6e → 9c8d7e6f5a4b (succeeded)");
    }

    @Test
    void aRollbackIsAWarningWithTheReasonsFirstLine() {
        Service web = service("web");
        Notification n = NotificationText.of(web, finished(web, Trigger.REGISTRY_POLL, Outcome.ROLLED_BACK,
                "the new container exited with code 1\nlast output: boom", null));
        assertThat(n.level()).isEqualTo(Notification.Level.WARNING);
        assertThat(n.oneLine()).isEqualTo("web rolled back: 3f2a1b4c5d6e → 9c8d7e6f5a4b did not come up: "
                + "the new container exited with code 1; the previous version runs again");
    }

    @Test
    void aFailureIsAnErrorAndALongReasonIsShortened() {
        Service web = service("api");
        String reason = "pull failed: " + "x".repeat(400);
        Notification n = NotificationText.of(web, finished(web, Trigger.MANUAL, Outcome.FAILED, reason, null));
        assertThat(n.level()).isEqualTo(Notification.Level.ERROR);
        assertThat(n.title()).isEqualTo("api failed to redeploy");
        assertThat(n.text()).startsWith("3f2a1b4c5d6e → 9c8d7e6f5a4b failed: pull failed: xxx").endsWith("…");
        assertThat(n.text().length()).isLessThan(NotificationText.MAX_REASON + 60);
    }

    @Test
    void aServiceBuiltFromSourceShowsTheCommitsShortShaAndMessage() {
        Service site = new Service(UUID.randomUUID(), "site", ImageRef.parse("redock/site:9c8d7e1"), ContainerSpec.empty(), true,
                NEW, T0, T0, new GitSource("https://git.example.com/team/site.git", "main", null, null, java.util.List.of()),
                "9c8d7e1f00");
        CommitInfo commit = new CommitInfo("9c8d7e1f00aabbccddeeff00112233445566778899", "Ann <ann@example.com>", "Fix the header");
        Notification n = NotificationText.of(site, finished(site, Trigger.GIT_POLL, Outcome.SUCCEEDED, null, commit));
        assertThat(n.oneLine()).isEqualTo("site redeployed: commit 9c8d7e1 “Fix the header” (succeeded)");
    }

    @Test
    void aFirstDeploymentWithoutAnOldDigestShowsTheNewOneAlone() {
        Service web = service("web");
        Deployment d = new Deployment(1, web.id(), Trigger.API, null, NEW, T0, T0, Outcome.SUCCEEDED, null);
        assertThat(NotificationText.of(web, d).text()).isEqualTo("9c8d7e6f5a4b (succeeded)");
    }

    @Test
    void everyRedeployNotifiesButALaunchDoesNot() {
        Service web = service("web");
        for (Trigger t : Trigger.values()) {
            assertThat(NotificationText.notifies(finished(web, t, Outcome.SUCCEEDED, null, null))).as(t.name())
                    .isEqualTo(t != Trigger.LAUNCH);
        }
        assertThat(NotificationText.notifies(finished(web, Trigger.REGISTRY_POLL, Outcome.RUNNING, null, null))).isFalse();
    }
}
