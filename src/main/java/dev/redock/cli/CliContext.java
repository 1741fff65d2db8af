package dev.redock.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import dev.redock.app.AppPaths;
import dev.redock.app.Redock;
import dev.redock.app.StopSignals;
import dev.redock.service.Core;
import dev.redock.service.ServiceManager;

/** What a command runs with: the environment, its output streams, and the core, opened on first use. */
public final class CliContext implements AutoCloseable {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private Redock redock;
    private java.util.function.IntConsumer stop;

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

    /** The service layer, on the core opened on first use. */
    public Core core() {
        return redock().core();
    }

    /** What the commands do to services, on the core opened on first use. */
    public ServiceManager services() {
        return core().services();
    }

    /**
     * The core, opened on first use. Opening it finishes or undoes deployments that a stopped Redock process left
     * unfinished (the journal says what each had done), and says so on stderr.
     */
    public synchronized Redock redock() {
        if (redock == null) {
            redock = Redock.open(dataFolder(), env);
            stop = this::stopGracefully;
            StopSignals.onStop(stop);
            for (String line : redock.services().reconcile()) {
                err.println("redock: " + line);
            }
        }
        return redock;
    }

    /**
     * The first Ctrl-C or SIGTERM: a deployment under way reaches its end (bounded by the deploy policy's stop grace),
     * then the process exits with the signal's code. A second signal exits at once.
     */
    private void stopGracefully(int exitCode) {
        Redock r;
        synchronized (this) {
            r = redock;
        }
        if (r != null) {
            java.util.List<String> deploying = r.deploying();
            if (!deploying.isEmpty()) {
                err.println("redock: finishing the deployment of " + String.join(", ", deploying) + " before stopping (at most "
                        + r.stopGrace().toSeconds() + " s; press Ctrl-C again to stop at once, and the"
                        + " next start of Redock finishes it)");
            }
            r.close();
        }
        System.exit(exitCode);
    }

    @Override
    public synchronized void close() {
        if (stop != null) {
            StopSignals.clear(stop);
            stop = null;
        }
        if (redock != null) {
            redock.close();
            redock = null;
        }
    }
}
