package dev.redock.service;

import dev.redock.app.Redock;
import dev.redock.model.EngineEntry;
import dev.redock.store.EngineStore;
import dev.redock.testenv.RawHttpServer;
import dev.redock.testenv.TestEnv;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** A core on the real engine with a second engine in its list, "silent", at a programmable server's address. */
final class SilentEngine {

    static final String NAME = "silent";

    private SilentEngine() {
    }

    /** Opens the core on {@code home}, asking each engine for at most 1 s, and adds {@code server} to its list. */
    static Redock beside(Path home, RawHttpServer server, Instant added) {
        Redock redock = Redock.open(home, Map.of("DOCKER_HOST", TestEnv.dockerHost().toString(),
                "REDOCK_ENGINE_ANSWER_TIMEOUT", "1s"));
        new EngineStore(redock.database()).add(new EngineEntry(NAME, EngineEntry.Kind.ADDRESS,
                "tcp://" + server.address(), null), added);
        return redock;
    }
}
