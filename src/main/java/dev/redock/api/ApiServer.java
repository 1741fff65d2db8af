package dev.redock.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.ImageRef;
import dev.redock.model.EngineStatus;
import dev.redock.model.Json;
import dev.redock.model.RedeployTrigger;
import dev.redock.model.Service;
import dev.redock.model.UnfollowedContainer;
import dev.redock.model.Trigger;
import dev.redock.service.ApiToken;
import dev.redock.service.Failure;
import dev.redock.service.AdoptRequest;
import dev.redock.service.ServiceInput;
import dev.redock.service.EngineService;
import dev.redock.service.ServiceManager;
import dev.redock.service.TriggerService;

/**
 * The local HTTP API, served by the running window or agent: the service endpoints, redeploy trigger URLs, CI
 * image announcements and push webhooks. Bound to 127.0.0.1 unless the user asks otherwise; every call but trigger URLs
 * and signed webhooks needs {@code Authorization: Bearer <token>}. A request must arrive whole, headers and body, within
 * {@link #DEFAULT_MAX_REQUEST_TIME} and with a body of at most {@link #MAX_BODY} bytes: a client that stalls half way is
 * cut off instead of holding a thread.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Handler threads: requests served at once. */
    static final int THREADS = 8;
    /**
     * How long a client may take to send a whole request, headers and body, unless the user set
     * {@value #MAX_REQUEST_TIME_PROPERTY} (in seconds): local callers send at once, and GitHub itself gives up on a webhook
     * delivery after 10 s. A client that stops half way would otherwise hold one of the {@value #THREADS} threads for ever.
     */
    static final Duration DEFAULT_MAX_REQUEST_TIME = Duration.ofSeconds(10);
    /** The JDK server's bound, in seconds, on reading a request (headers and body); it closes the connection after it. */
    static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /**
     * Whether the JDK server sends without delay (TCP_NODELAY). It writes an answer's headers and its body apart: with
     * Nagle's algorithm on (its default) the body waits for the client to acknowledge the headers, which a client delays
     * by some 40 ms, so every answer would take that long however little the work.
     */
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    /** Bodies larger than this are refused with 413. */
    public static final int MAX_BODY = 1024 * 1024;

    /** Where the CLI of another process hands this one a command to run ({@link #serveCommands}). */
    public static final String COMMANDS_PATH = "/api/v1/cli";

    /** Runs a command another process handed over, and answers it on the exchange (which it closes). */
    @FunctionalInterface
    public interface CommandHandler {
        /** @param request the request's body, read whole (within {@link #MAX_BODY}) */
        void handle(byte[] request, HttpExchange exchange) throws IOException;
    }

    private static final Pattern SERVICE = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/?");
    private static final Pattern ENGINE = Pattern.compile("/api/v1/engine/([^/]+)/?");
    private static final Pattern ENGINE_USE = Pattern.compile("/api/v1/engine/([^/]+)/use/?");
    private static final Pattern FORGET = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/forget/?");
    private static final Pattern REDEPLOY = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/redeploy/?");
    private static final Pattern TRIGGERS = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/trigger/?");
    private static final Pattern TRIGGER = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/trigger/([^/]+)/?");
    private static final Pattern TRIGGER_CALL = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/trigger/([^/]+)/call/?");
    private static final Pattern WEBHOOK = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/webhook/(github|gitlab)/?");
    private static final Pattern WEBHOOK_INFO = Pattern.compile("/api/v1/service/([0-9a-fA-F-]{36})/webhook/?");

    private final HttpServer server;
    private final ExecutorService executor;
    private final ServiceManager services;
    private final EngineService engines;
    private final TriggerService triggers;
    private final ApiToken token;

    private ApiServer(HttpServer server, ExecutorService executor, ServiceManager services, EngineService engines,
                      TriggerService triggers, ApiToken token) {
        this.server = server;
        this.executor = executor;
        this.services = services;
        this.engines = engines;
        this.triggers = triggers;
        this.token = token;
    }

    /**
     * Starts serving.
     *
     * @param address 127.0.0.1 unless the user asked for another address
     * @param port    0 for any free port
     */
    public static ApiServer start(InetAddress address, int port, ServiceManager services, EngineService engines,
                                  TriggerService triggers, ApiToken token) throws IOException {
        configureTheJdkServer();
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "redock-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ApiServer api = new ApiServer(server, executor, services, engines, triggers, token);
        server.createContext("/", api::handle);
        server.start();
        LOG.info("API listening on http://{}:{}/api/v1/", address.getHostAddress(), server.getAddress().getPort());
        return api;
    }

    /**
     * Bounds the time to read a request ({@link #DEFAULT_MAX_REQUEST_TIME}) and has answers sent without delay
     * ({@link #NO_DELAY_PROPERTY}), each unless the user set it. The JDK's server reads its settings once, when its classes
     * load with the first server of the process: this runs before that.
     */
    private static void configureTheJdkServer() {
        if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
            System.setProperty(MAX_REQUEST_TIME_PROPERTY, Long.toString(DEFAULT_MAX_REQUEST_TIME.toSeconds()));
        }
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
    }

    /** The time a client has to send a whole request, as in effect; zero or less when the user lifted the bound. */
    static Duration maxRequestTime() {
        return Duration.ofSeconds(Long.getLong(MAX_REQUEST_TIME_PROPERTY, DEFAULT_MAX_REQUEST_TIME.toSeconds()));
    }

    /**
     * Serves the CLI's commands at {@link #COMMANDS_PATH}: a {@code POST} with the bearer token, its body handed to
     * {@code handler}.
     */
    public void serveCommands(CommandHandler handler) {
        server.createContext(COMMANDS_PATH, ex -> {
            byte[] request;
            try {
                if (!ex.getRequestURI().getPath().equals(COMMANDS_PATH)) {
                    throw new ApiException(404, "no such endpoint: " + ex.getRequestURI().getPath());
                }
                authenticate(ex);
                requireMethod(ex.getRequestMethod(), "POST");
                request = Exchanges.readBody(ex);
            } catch (ApiException e) {
                try (ex) {
                    Exchanges.send(ex, error(e.status(), e.getMessage(), e.field()));
                }
                return;
            }
            handler.handle(request, ex);
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Exchanges.Response r;
            try {
                r = route(ex);
            } catch (ApiException e) {
                r = error(e.status(), e.getMessage(), e.field());
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                Failure failure = Failure.of(e);
                if (failure.worthStackTrace()) {
                    LOG.error("API call {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                }
                r = error(failure.httpStatus(), failure == Failure.INTERNAL ? "internal error: " + e : Failure.message(e),
                        Failure.field(e));
            }
            Exchanges.send(ex, r);
        }
    }

    private Exchanges.Response route(HttpExchange ex) throws Exception {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Matcher m;

        // No bearer token for these: the secret is in the URL, or in the webhook's signature.
        if ((m = TRIGGER_CALL.matcher(path)).matches()) {
            requireMethod(method, "POST");
            return callTrigger(uuid(m.group(1)), m.group(2), Exchanges.readBody(ex));
        }
        if ((m = WEBHOOK.matcher(path)).matches()) {
            requireMethod(method, "POST");
            return webhook(ex, uuid(m.group(1)), m.group(2), Exchanges.readBody(ex));
        }

        authenticate(ex);
        if (path.equals("/api/v1/engine") || path.equals("/api/v1/engine/")) {
            return switch (method) {
                case "GET" -> listEngines();
                case "POST" -> addEngine(Exchanges.readBody(ex));
                default -> throw methodNotAllowed("GET, POST");
            };
        }
        if ((m = ENGINE_USE.matcher(path)).matches()) {
            requireMethod(method, "POST");
            engines.use(engine(m.group(1)));
            return json(200, engineJson(engines.check(m.group(1))));
        }
        if ((m = ENGINE.matcher(path)).matches()) {
            String name = engine(m.group(1));
            return switch (method) {
                case "GET" -> json(200, engineJson(engines.check(name)));
                case "DELETE" -> {
                    engines.remove(name);
                    yield new Exchanges.Response(204, null);
                }
                default -> throw methodNotAllowed("GET, DELETE");
            };
        }
        if (path.equals("/api/v1/service") || path.equals("/api/v1/service/")) {
            return switch (method) {
                case "GET" -> listServices(showValues(ex), Exchanges.queryValue(ex, "engine"));
                case "POST" -> createService(Exchanges.readBody(ex), showValues(ex));
                default -> throw methodNotAllowed("GET, POST");
            };
        }
        if (path.equals("/api/v1/container") || path.equals("/api/v1/container/")) {
            requireMethod(method, "GET");
            return listNotFollowed(Exchanges.queryValue(ex, "engine"));
        }
        if ((m = FORGET.matcher(path)).matches()) {
            requireMethod(method, "POST");
            Service s = services.forget(service(uuid(m.group(1))).id().toString());
            return json(200, message("no longer following " + s.name() + "; its container stays as it is")
                    .put("uuid", s.id().toString()));
        }
        if (path.equals("/api/v1/image-push") || path.equals("/api/v1/image-push/")) {
            requireMethod(method, "POST");
            return imagePush(Exchanges.readBody(ex));
        }
        if ((m = SERVICE.matcher(path)).matches()) {
            UUID id = uuid(m.group(1));
            return switch (method) {
                case "GET" -> json(200, ServiceJson.service(services.view(service(id)), showValues(ex)));
                case "PATCH" -> patchService(id, Exchanges.readBody(ex), showValues(ex));
                case "DELETE" -> deleteService(id, Exchanges.queryFlag(ex, "volumes"));
                default -> throw methodNotAllowed("GET, PATCH, DELETE");
            };
        }
        if ((m = REDEPLOY.matcher(path)).matches()) {
            requireMethod(method, "POST");
            Service s = service(uuid(m.group(1)));
            triggers.redeploy(s.id(), Trigger.API);
            return json(202, message("redeploying " + s.name()).put("uuid", s.id().toString()));
        }
        if ((m = TRIGGERS.matcher(path)).matches()) {
            UUID id = uuid(m.group(1));
            return switch (method) {
                case "GET" -> listTriggers(id);
                case "POST" -> createTrigger(id, Exchanges.readBody(ex));
                default -> throw methodNotAllowed("GET, POST");
            };
        }
        if ((m = TRIGGER.matcher(path)).matches()) {
            requireMethod(method, "DELETE");
            UUID id = uuid(m.group(1));
            if (!triggers.revoke(service(id).id(), m.group(2))) {
                throw ApiException.notFound("trigger");
            }
            return new Exchanges.Response(204, null);
        }
        if ((m = WEBHOOK_INFO.matcher(path)).matches()) {
            requireMethod(method, "GET");
            Service s = service(uuid(m.group(1)));
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("secret", triggers.webhookSecret(s.id()));
            body.put("github_url", "/api/v1/service/" + s.id() + "/webhook/github/");
            body.put("gitlab_url", "/api/v1/service/" + s.id() + "/webhook/gitlab/");
            return json(200, body);
        }
        throw new ApiException(404, "no such endpoint: " + path);
    }

    // --- engines -------------------------------------------------------------------------------------------------

    /** Every engine, each asked now whether it answers. */
    private Exchanges.Response listEngines() {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode objects = body.putArray("objects");
        engines.check().forEach(e -> objects.add(engineJson(e)));
        body.putObject("meta").put("total_count", objects.size());
        ArrayNode offered = body.putArray("offered");
        engines.offered().forEach(offered::add);
        return json(200, body);
    }

    /**
     * Adds an engine, as {@code redock engine add} does: {@code {"name": ..., "context": ...}} or {@code {"name": ...,
     * "address": ..., "tls": ...}}.
     */
    private Exchanges.Response addEngine(byte[] raw) {
        RequestBody body = RequestBody.parse(raw, Set.of("name", "context", "address", "tls"));
        String name = ServiceBodies.requireString(body, "name");
        if (body.has("context") == body.has("address")) {
            throw new ApiException(422, "give exactly one of \"context\" and \"address\"", "address");
        }
        String where = body.has("context") ? ServiceBodies.requireString(body, "context")
                : ServiceBodies.requireString(body, "address");
        return json(201, engineJson(engines.add(name, where, body.string("tls"))));
    }

    private ObjectNode engineJson(EngineStatus e) {
        return ServiceJson.engine(e, engines.serviceCounts().getOrDefault(e.name(), 0), e.name().equals(engines.forNew()));
    }

    /** The engine of this name, or a 404. */
    private String engine(String name) {
        if (engines.find(name).isEmpty()) {
            throw ApiException.notFound("engine");
        }
        return name;
    }

    // --- services ------------------------------------------------------------------------------------------------

    /** @param engine only the services on this engine, or null for all */
    private Exchanges.Response listServices(boolean showValues, String engine) {
        if (engine != null) {
            engine(engine);
        }
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode objects = body.putArray("objects");
        services.views().stream()
                .filter(v -> engine == null || v.service().engine().equals(engine))
                .forEach(v -> objects.add(ServiceJson.service(v, showValues)));
        body.putObject("meta").put("total_count", objects.size());
        return json(200, body);
    }

    /**
     * Launches a service that follows an image ({@code "image"}) or is built from a git repository's branch ({@code "git"}),
     * as {@code redock service run} does. Everything in the body is checked before anything is pulled, built, created or
     * written.
     */
    private Exchanges.Response createService(byte[] raw, boolean showValues) throws Exception {
        RequestBody body = RequestBody.parse(raw, ServiceBodies.SERVICE_FIELDS);
        if (body.has("container") || body.has("project")) {
            return adopt(body, showValues);
        }
        ServiceInput input = ServiceBodies.input(body, body.object("git", ServiceBodies.GIT_FIELDS))
                .withName(body.string("name"));
        Service s = services.launch(input.toLaunch(JsonNames.INSTANCE), null, null);
        return json(201, ServiceJson.service(services.view(s), showValues));
    }

    /**
     * Adopts a container ({@code "container"}) or a compose project's containers ({@code "project"}) as services, as
     * {@code redock service adopt} does: nothing on the engine changes. One container answers with its service; a project
     * with {@code "objects"}, its services.
     */
    private Exchanges.Response adopt(RequestBody body, boolean showValues) throws Exception {
        ServiceBodies.onlyAdoptionFields(body);
        AdoptRequest request = new AdoptRequest(body.string("engine"), body.string("container"), body.string("project"),
                Boolean.TRUE.equals(body.bool("autoredeploy")));
        List<Service> adopted = services.adoptions().adopt(request);
        if (request.container() != null) {
            return json(201, ServiceJson.service(services.view(adopted.get(0)), showValues));
        }
        ObjectNode doc = Json.mapper().createObjectNode();
        ArrayNode objects = doc.putArray("objects");
        adopted.forEach(s -> objects.add(ServiceJson.service(services.view(s), showValues)));
        return json(201, doc);
    }

    /** The containers no service follows, on one engine or every engine that answers. */
    private Exchanges.Response listNotFollowed(String engine) throws Exception {
        List<UnfollowedContainer> containers = engine == null
                ? services.adoptions().unfollowed()
                : services.adoptions().unfollowed(engine);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode objects = body.putArray("objects");
        containers.forEach(c -> objects.add(ServiceJson.unfollowed(c)));
        body.putObject("meta").put("total_count", objects.size());
        return json(200, body);
    }

    /**
     * Changes a service's editable settings: fields present replace, absent ones stay. A service that follows an image may
     * get another {@code "image"}; one built from git may get changes to its {@code "git"} source (only the fields given).
     * An {@code "env"} value sent back masked, as a GET shows it, keeps the stored value.
     */
    private Exchanges.Response patchService(UUID id, byte[] raw, boolean showValues) {
        Service s = service(id);
        RequestBody body = RequestBody.parse(raw, ServiceBodies.PATCH_FIELDS);
        if (body.has("git") && body.object("git", ServiceBodies.GIT_FIELDS) == null) {
            throw new ApiException(422, "field \"git\" may not be null", "git");
        }
        if (body.has("image")) {
            ServiceBodies.requireString(body, "image");
        }
        if (body.has("autoredeploy")) {
            ServiceBodies.requireBool(body, "autoredeploy");
        }
        ServiceInput input = ServiceBodies.input(body, body.object("git", ServiceBodies.GIT_FIELDS));
        ServiceManager.EditResult r = services.edit(id, input.toChange(s, JsonNames.INSTANCE));
        ObjectNode doc = ServiceJson.service(services.view(r.service()), showValues);
        doc.put("redeploy_needed", r.containerChanged());
        return json(200, doc);
    }

    /** Removes a service; its volumes only with {@code ?volumes=true} (they hold its data). Says which volumes stay. */
    private Exchanges.Response deleteService(UUID id, boolean volumes) throws Exception {
        Service s = service(id);
        ServiceManager.RemoveResult r = services.remove(s.id().toString(), volumes);
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("uuid", s.id().toString());
        r.removedVolumes().forEach(doc.putArray("removed_volumes")::add);
        r.keptVolumes().forEach(doc.putArray("kept_volumes")::add);
        return json(200, doc);
    }

    // --- triggers, announcements, webhooks -------------------------------------------------------------------------

    private Exchanges.Response listTriggers(UUID id) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode objects = body.putArray("objects");
        for (RedeployTrigger t : triggers.list(service(id).id())) {
            objects.add(trigger(t));
        }
        return json(200, body);
    }

    private Exchanges.Response createTrigger(UUID id, byte[] raw) {
        RequestBody body = RequestBody.parse(raw, Set.of("name"));
        String name = body.string("name");
        TriggerService.Created c = triggers.create(service(id).id(), name == null ? "" : name);
        ObjectNode doc = trigger(c.trigger());
        doc.put("token", c.token());
        doc.put("url", baseUrl() + c.path());
        return json(201, doc);
    }

    private static ObjectNode trigger(RedeployTrigger t) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("uuid", t.id().toString());
        n.put("name", t.name());
        n.put("created", t.created().toString());
        n.put("last_called", t.lastCalled() == null ? null : t.lastCalled().toString());
        return n;
    }

    private Exchanges.Response callTrigger(UUID serviceId, String callToken, byte[] raw) {
        Optional<TriggerService.CallResult> r = triggers.call(serviceId, callToken, TriggerService.hubPush(jsonOrNull(raw)));
        if (r.isEmpty()) {
            throw ApiException.notFound("trigger");
        }
        return json(r.get().redeploying() ? 202 : 200, message(r.get().message()));
    }

    /** A body read as JSON, or null when it is empty or not JSON (a trigger URL takes any body). */
    private static JsonNode jsonOrNull(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private Exchanges.Response imagePush(byte[] raw) {
        RequestBody body = RequestBody.parse(raw, Set.of("image", "tag"));
        String image = ServiceBodies.requireString(body, "image");
        String tag = body.string("tag");
        ImageRef ref = ImageRef.parse(tag == null ? image : image + ":" + tag);
        if (tag != null && image.substring(image.lastIndexOf('/') + 1).contains(":")) {
            throw new ApiException(422, "give the tag either in \"image\" or in \"tag\", not both", "tag");
        }
        List<Service> redeploying = triggers.imagePushed(ref);
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("image", ref.familiar());
        ArrayNode list = doc.putArray("redeploying");
        redeploying.forEach(s -> list.addObject().put("uuid", s.id().toString()).put("name", s.name()));
        return json(202, doc);
    }

    private Exchanges.Response webhook(HttpExchange ex, UUID serviceId, String kind, byte[] raw) {
        String signature = ex.getRequestHeaders().getFirst(kind.equals("github") ? "X-Hub-Signature-256" : "X-Gitlab-Token");
        if (!triggers.verifies(serviceId, kind, raw, signature)) {
            throw new ApiException(401, "the webhook's signature does not verify");
        }
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, "malformed JSON: " + e.getMessage());
        }
        TriggerService.PushResult r = triggers.pushed(serviceId, kind, payload);
        if (r.branch() == null) {
            return json(200, message("ignored: not a branch push"));
        }
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("branch", r.branch());
        ArrayNode list = doc.putArray("redeploying");
        r.redeploying().forEach(t -> list.addObject().put("uuid", t.id().toString()).put("name", t.name()));
        return json(r.redeploying().isEmpty() ? 200 : 202, doc);
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    /** Whether the call asked to see environment values as they are ({@code ?show-values=true}); masked otherwise. */
    /** Whether the caller asked to see environment values ({@code ?show-values=true}); they are masked otherwise. */
    private static boolean showValues(HttpExchange ex) {
        return Exchanges.queryFlag(ex, "show-values");
    }

    private void authenticate(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (!token.matches(presented)) {
            throw new ApiException(401, header == null ? "this call needs Authorization: Bearer <token>" : "the token is not valid");
        }
    }

    private Service service(UUID id) {
        return services.list().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("service " + id));
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "no such service: " + text);
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw methodNotAllowed(allowed);
        }
    }

    private static ApiException methodNotAllowed(String allowed) {
        return new ApiException(405, "method not allowed here (allowed: " + allowed + ")");
    }

    private static ObjectNode message(String text) {
        return Json.mapper().createObjectNode().put("message", text);
    }

    private static Exchanges.Response json(int status, JsonNode body) {
        return new Exchanges.Response(status, body);
    }

    private static Exchanges.Response error(int status, String message, String field) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("status", status);
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        return new Exchanges.Response(status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

}
