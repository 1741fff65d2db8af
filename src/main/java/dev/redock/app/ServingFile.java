package dev.redock.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.redock.store.PrivateFiles;

/**
 * Which process serves the HTTP API on a data folder, and where: {@code api-serving} in the data folder, written by the
 * window or the agent once its API answers and removed when it stops. The CLI reads it to hand its command to that process
 * instead of opening the database and the engine itself.
 *
 * <p>A process that was killed leaves the file behind: it names the process by its pid and its start time, so that a pid
 * the system has since given to another process is not taken for it. Reading uses nothing but the JDK's core classes: the
 * CLI reads it before anything else is loaded.
 */
public final class ServingFile {

    /** The file's name in the data folder. */
    public static final String NAME = "api-serving";

    private final Path file;
    private final String text;

    private ServingFile(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * What the file says.
     *
     * @param url     the API's base URL, e.g. {@code http://127.0.0.1:7321}
     * @param pid     the serving process
     * @param started when that process started, as {@link ProcessHandle.Info#startInstant()} gives it (empty if unknown)
     */
    public record Serving(String url, long pid, String started) {

        /** Whether the process that wrote the file still runs: the same pid, started at the same time. */
        public boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> startOf(p).equals(started)).orElse(false);
        }
    }

    /** What the data folder's file says, if there is one that can be read. */
    public static Optional<Serving> read(Path dataFolder) {
        String url = null;
        long pid = -1;
        String started = "";
        try {
            for (String line : Files.readAllLines(dataFolder.resolve(NAME), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                String key = eq < 0 ? line : line.substring(0, eq);
                String value = eq < 0 ? "" : line.substring(eq + 1).strip();
                switch (key) {
                    case "url" -> url = value;
                    case "pid" -> pid = Long.parseLong(value);
                    case "started" -> started = value;
                    default -> {
                        // a later version's addition
                    }
                }
            }
        } catch (IOException | NumberFormatException missingOrUnreadable) {
            return Optional.empty();
        }
        return url == null || pid < 0 ? Optional.empty() : Optional.of(new Serving(url, pid, started));
    }

    /** Says that this process serves the API at {@code url} (the user's alone to read, replacing a stale file). */
    public static ServingFile write(Path dataFolder, String url) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        String text = "url=" + url + "\npid=" + self.pid() + "\nstarted=" + startOf(self) + "\n";
        Path file = dataFolder.resolve(NAME);
        PrivateFiles.replace(file, text);
        return new ServingFile(file, text);
    }

    /** Removes the file, unless another process has written its own since. */
    public void remove() throws IOException {
        try {
            if (Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                Files.delete(file);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed already
        }
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("");
    }
}
