package dev.redock.testenv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.redock.store.CommandTurn;

/**
 * Another process holding a data folder's turn as a CLI command does ({@link CommandTurn#forCommand}), for as long as the
 * test keeps it: a real process, since the threads of one process share its turn.
 */
public final class CommandTurnHolder implements AutoCloseable {

    private final Process process;

    private CommandTurnHolder(Process process) {
        this.process = process;
    }

    /** Starts the process and returns once it holds the turn on {@code dataFolder}. */
    public static CommandTurnHolder start(Path dataFolder) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CommandTurnHolder.class.getName(), dataFolder.toString());
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"holding".equals(line)) {
                process.destroyForcibly();
                throw new IllegalStateException("the process that was to hold the turn said: " + line);
            }
            return new CommandTurnHolder(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Lets the turn go: the process ends. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds the turn on the folder given until it is killed. */
    public static void main(String[] args) throws InterruptedException {
        CommandTurn.forCommand(Path.of(args[0]), line -> { });
        System.out.println("holding");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
