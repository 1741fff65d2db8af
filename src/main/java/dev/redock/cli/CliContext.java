package dev.redock.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import dev.redock.app.AppPaths;
import dev.redock.app.Redock;
import dev.redock.app.StopSignals;
import dev.redock.service.Core;
import dev.redock.service.ServiceManager;

/**
 * What a command runs with: the environment, where it was typed, its output streams, and the core: opened on first use, or
 * that of the process the command was handed to ({@link #on}).
 */
public final class CliContext implements AutoCloseable {

    private final Map<String, String> env;
    private final Path workingFolder;
    private final PrintStream out;
    private final PrintStream err;
    /** The core of the process this command was handed to (never closed here), or null to open one. */
    private final Redock given;
    private Redock redock;
    private java.util.function.IntConsumer stop;

    /** A command run in its own process: the core is opened on first use, and closed with this. */
    public CliContext(Map<String, String> env, PrintStream out, PrintStream err) {
        this(env, Path.of("").toAbsolutePath(), out, err, null);
    }

    private CliContext(Map<String, String> env, Path workingFolder, PrintStream out, PrintStream err, Redock given) {
        this.env = env;
        this.workingFolder = workingFolder;
        this.out = out;
        this.err = err;
        this.given = given;
    }

    /**
     * A command another process's CLI handed to this one, on this process's open core: what that process left unfinished
     * was finished when this one started, stop signals are this process's own, and closing leaves the core open.
     */
    static CliContext on(Redock redock, Path workingFolder, PrintStream out, PrintStream err) {
        return new CliContext(redock.environment().orElseThrow(), workingFolder, out, err, redock);
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
        return given != null ? given.dataFolder() : AppPaths.dataFolder(env);
    }

    /** Where the command was typed: relative paths in it are from there. */
    public Path workingFolder() {
        return workingFolder;
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
     * The core, opened on first use, for this one command. Opening it finishes or undoes deployments that a stopped Redock
     * process left unfinished (the journal says what each had done), and says so on stderr. In a process of its own, the
     * command first waits its turn behind another command working on the data folder ({@link Redock#openForOneCommand}).
     */
    public synchronized Redock redock() {
        return open(false);
    }

    /** The core, opened on first use, for a command that keeps running and serving it (the agent). */
    public synchronized Redock residentRedock() {
        return open(true);
    }

    private Redock open(boolean resident) {
        if (given != null) {
            return given;
        }
        if (redock == null) {
            if (resident) {
                redock = Redock.openResident(dataFolder(), env);
            } else {
                redock = Redock.openForOneCommand(dataFolder(), env, line -> err.println("redock: " + line));
            }
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
