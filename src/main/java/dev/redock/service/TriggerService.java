package dev.redock.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.deploy.DeployQueue;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;
import dev.redock.model.RedeployTrigger;
import dev.redock.model.Service;
import dev.redock.model.Trigger;
import dev.redock.store.ServiceStore;
import dev.redock.store.TriggerStore;

/**
 * The ways in besides polling: secret redeploy trigger URLs, CI announcements of a new image tag, and push webhooks.
 * This is where each decides which services it redeploys; all of them end in the same {@link DeployQueue}.
 */
public final class TriggerService {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);
    /** 32 bytes: 256 random bits, well over the 128 a guess would have to beat. */
    private static final int TOKEN_BYTES = 32;

    private final ServiceStore services;
    private final TriggerStore triggers;
    private final DeployQueue queue;
    private final Clock clock;
    private final java.util.function.BooleanSupplier paused;

    public TriggerService(ServiceStore services, TriggerStore triggers, DeployQueue queue, Clock clock,
                          java.util.function.BooleanSupplier paused) {
        this.services = services;
        this.triggers = triggers;
        this.queue = queue;
        this.clock = clock;
        this.paused = paused;
    }

    /** A new trigger and its token: the token is shown this once and never stored. */
    public record Created(RedeployTrigger trigger, String token) {
        /** The path to call: {@code /api/v1/service/<uuid>/trigger/<token>/call/}. */
        public String path() {
            return "/api/v1/service/" + trigger.serviceId() + "/trigger/" + token + "/call/";
        }
    }

    public Created create(UUID serviceId, String name) {
        RedeployTrigger.validName(name);
        requireService(serviceId);
        String token = newToken();
        RedeployTrigger t = new RedeployTrigger(UUID.randomUUID(), serviceId, name, clock.instant(), null);
        triggers.insert(t, token);
        LOG.info("Made the redeploy trigger \"{}\" for {}", name, serviceId);
        return new Created(t, token);
    }

    public List<RedeployTrigger> list(UUID serviceId) {
        requireService(serviceId);
        return triggers.list(serviceId);
    }

    /** Revokes by id or name; false when there is no such trigger. */
    public boolean revoke(UUID serviceId, String idOrName) {
        requireService(serviceId);
        boolean removed = triggers.delete(serviceId, idOrName);
        if (removed) {
            LOG.info("Revoked the redeploy trigger {} of {}", idOrName, serviceId);
        }
        return removed;
    }

    /**
     * A trigger URL was called. With a Docker Hub webhook payload, the service is redeployed only when the pushed
     * repository and tag are the ones it follows; with any other body (or none), it is redeployed.
     *
     * @return the service being redeployed, or empty when the token is wrong or revoked (the caller answers 404)
     */
    public Optional<CallResult> call(UUID serviceId, String token, Optional<HubPush> hubPush) {
        Optional<RedeployTrigger> t = triggers.findByToken(serviceId, token);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Service s = services.find(serviceId).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        triggers.markCalled(t.get().id(), clock.instant());
        if (hubPush.isPresent() && !hubPush.get().matches(s.image())) {
            return Optional.of(new CallResult(s, false, "ignored: " + hubPush.get() + " is not " + s.image().familiar()));
        }
        queue.submit(serviceId, Trigger.TRIGGER_URL);
        return Optional.of(new CallResult(s, true, "redeploying " + s.name()));
    }

    /** What a trigger call did. */
    public record CallResult(Service service, boolean redeploying, String message) {
    }

    /** The repository and tag a Docker Hub push webhook announces. */
    public record HubPush(String repoName, String tag) {
        boolean matches(ImageRef ref) {
            ImageRef pushed = ImageRef.parse(repoName + ":" + tag);
            return pushed.tagKey().equals(ref.tagKey());
        }

        @Override
        public String toString() {
            return repoName + ":" + tag;
        }
    }

    /**
     * A CI job announced a new image tag: every service following exactly that image and tag with autoredeploy on
     * redeploys now. Services with autoredeploy off are not touched, nor is anything while autoredeploys are paused.
     */
    public List<Service> imagePushed(ImageRef image) {
        if (paused.getAsBoolean()) {
            LOG.info("{} announced while autoredeploys are paused: nothing redeployed", image.familiar());
            return List.of();
        }
        List<Service> matching = services.withAutoredeploy().stream()
                .filter(s -> s.image().digest() == null && s.image().tagKey().equals(image.tagKey()))
                .toList();
        // Services of one compose project on that image go one after another, dependencies first.
        queue.submitInTurn(matching, Trigger.IMAGE_PUSH, Map.of(), s -> true, (s, r) -> { });
        LOG.info("{} announced: redeploying {}", image.familiar(), matching.stream().map(Service::name).toList());
        return matching;
    }

    /**
     * Whether a push webhook's delivery for the service carries its secret: GitHub's {@code X-Hub-Signature-256} HMAC of
     * the body, or GitLab's {@code X-Gitlab-Token}. False for a service that has no webhook secret yet.
     *
     * @param kind      {@code github} or {@code gitlab}
     * @param signature the header that carries the secret, or null when absent
     */
    public boolean verifies(UUID serviceId, String kind, byte[] body, String signature) {
        Optional<String> secret = services.find(serviceId).isEmpty() ? Optional.empty() : existingWebhookSecret(serviceId);
        return secret.isPresent() && switch (kind) {
            case "github" -> verifyGitHub(secret.get(), body, signature);
            default -> constantTimeEquals(secret.get(), signature);
        };
    }

    /**
     * A verified push webhook reached the service's URL: a push to a branch redeploys the git services with autoredeploy
     * on that follow the same repository (as the hooked service names it) and that branch. Nothing while autoredeploys
     * are paused, and nothing for a push that is not to a branch (a tag, say).
     *
     * @param kind    {@code github} or {@code gitlab}
     * @param payload the delivery's JSON
     */
    public PushResult pushed(UUID serviceId, String kind, JsonNode payload) {
        Service hooked = services.find(serviceId).orElseThrow(() -> new ServiceManager.UnknownServiceException(serviceId.toString()));
        String ref = payload == null ? "" : payload.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return new PushResult(null, List.of());
        }
        String branch = ref.substring("refs/heads/".length());
        String pushedUrl = kind.equals("github")
                ? payload.path("repository").path("clone_url").asText("")
                : payload.path("project").path("git_http_url").asText(payload.path("repository").path("git_http_url").asText(""));
        List<Service> targets = webhookTargets(hooked, pushedUrl, branch);
        targets.forEach(t -> queue.submit(t.id(), Trigger.WEBHOOK));
        return new PushResult(branch, targets);
    }

    /** What a push webhook did: the pushed branch (null when it was no branch push) and the services it redeploys. */
    public record PushResult(String branch, List<Service> redeploying) {
    }

    private List<Service> webhookTargets(Service hooked, String pushedUrl, String branch) {
        if (hooked.git() == null || !GitSource.sameRepository(hooked.git().url(), pushedUrl.isBlank() ? hooked.git().url() : pushedUrl)) {
            return List.of();
        }
        if (paused.getAsBoolean()) {
            return List.of();
        }
        return services.withAutoredeploy().stream()
                .filter(s -> s.git() != null && s.git().branch().equals(branch)
                        && GitSource.sameRepository(s.git().url(), hooked.git().url()))
                .toList();
    }

    static boolean verifyGitHub(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
            return constantTimeEquals(expected, header.toLowerCase(java.util.Locale.ROOT));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null && java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The repository and tag of a Docker Hub push webhook's payload, if that is what a trigger call's body is. */
    public static Optional<HubPush> hubPush(JsonNode payload) {
        JsonNode tag = payload == null ? null : payload.path("push_data").path("tag");
        JsonNode repo = payload == null ? null : payload.path("repository").path("repo_name");
        if (tag != null && tag.isTextual() && repo != null && repo.isTextual()) {
            return Optional.of(new HubPush(repo.asText(), tag.asText()));
        }
        return Optional.empty();
    }

    /** Redeploys a service now, in the background (the API's redeploy). */
    public void redeploy(UUID serviceId, Trigger trigger) {
        requireService(serviceId);
        queue.submit(serviceId, trigger);
    }

    /** The service's webhook secret, made on first use. */
    public String webhookSecret(UUID serviceId) {
        requireService(serviceId);
        return triggers.webhookSecret(serviceId, TriggerService::newToken, clock.instant());
    }

    public Optional<String> existingWebhookSecret(UUID serviceId) {
        return triggers.existingWebhookSecret(serviceId);
    }

    private void requireService(UUID serviceId) {
        if (services.find(serviceId).isEmpty()) {
            throw new ServiceManager.UnknownServiceException(serviceId.toString());
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    static String newToken() {
        byte[] b = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
