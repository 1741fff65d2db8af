package dev.redock.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import dev.redock.app.AppPaths;
import dev.redock.app.Redock;
import dev.redock.deploy.DeployPolicy;

/** What a command runs with: the environment, its output streams, and the core, opened on first use. */
public final class CliContext implements AutoCloseable {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private Redock redock;

    public CliContext(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Path dataFolder() {
        return AppPaths.dataFolder(env);
    }

    public synchronized Redock redock() {
        if (redock == null) {
            redock = new Redock(dataFolder(), env, DeployPolicy.fromEnvironment(env));
        }
        return redock;
    }

    @Override
    public synchronized void close() {
        if (redock != null) {
            redock.close();
            redock = null;
        }
    }
}
