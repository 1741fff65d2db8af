package dev.redock.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CLI command as one process hands it to the Redock process serving its data folder: the words typed, where they were
 * typed, and what of the caller's environment the answer depends on. The serving process runs it only when that is the same
 * as its own ({@link #differences}); otherwise the caller runs it itself.
 *
 * <p>The caller builds and writes it with nothing but the JDK's core classes (no JSON library): it is read before anything
 * else is loaded. The body is {@link #PROTOCOL}, then strings (a length and UTF-8 bytes) and counted lists of them.
 *
 * @param version       the caller's Redock version: a process of another version answers with its own commands, so it
 *                      refuses
 * @param dataFolder    the data folder the caller found the serving process by
 * @param workingFolder where the command was typed (relative paths in it are from there)
 * @param charset       how the caller's terminal encodes text: the answer is encoded so
 * @param args          the command's words
 * @param env           the caller's variables among those that choose the engine, credentials, paths and deploy policy
 *                      ({@link #decides})
 */
public record CommandCall(String version, String dataFolder, String workingFolder, String charset, List<String> args,
                          Map<String, String> env) {

    /** The layout of the body; a process that reads another layout refuses the call. */
    static final int PROTOCOL = 1;
    /** The body's media type, in both directions. */
    static final String MEDIA_TYPE = "application/x-redock-command";

    /** Variables named here, or starting with a prefix here, choose what a command does; the rest do not matter. */
    private static final Set<String> NAMES = Set.of("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR",
            "SSH_AUTH_SOCK");
    private static final List<String> PREFIXES = List.of("REDOCK_", "DOCKER_", "GIT_");

    /**
     * Whether a variable can change what a command does: the data folder ({@code REDOCK_HOME}, {@code XDG_DATA_HOME},
     * {@code HOME}), the engine ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT}, {@code DOCKER_CONFIG}, the docker
     * contexts under {@code HOME}, the Podman socket under {@code XDG_RUNTIME_DIR}), registry credentials
     * ({@code DOCKER_CONFIG}), git and ssh ({@code GIT_*}, {@code SSH_AUTH_SOCK}), and the deploy policy
     * ({@code REDOCK_*}).
     */
    static boolean decides(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The variables of {@code env} that {@link #decides decide}, sorted. */
    static Map<String, String> deciding(Map<String, String> env) {
        // No lambdas or streams on the caller's side: each first use costs start-up time.
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (decides(e.getKey())) {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    /** The names of the deciding variables that {@code env} sets otherwise than this call (values may be secrets). */
    List<String> differences(Map<String, String> other) {
        Map<String, String> theirs = deciding(other);
        List<String> names = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(union(env.keySet(), theirs.keySet()))) {
            if (!java.util.Objects.equals(env.get(name), theirs.get(name))) {
                names.add(name);
            }
        }
        return names;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Whether a command must run in the process that was started for it, never in another: {@code agent} (it is the
     * long-running process itself), {@code service unlock} (it judges the deployment locks other processes hold, so it
     * must not be one of them), and, on a terminal, help (picocli colours it for that terminal). A command that reads
     * its standard input would belong here too; none does.
     *
     * @param interactive whether the caller's output is a terminal
     */
    static boolean runsHereOnly(String[] args, boolean interactive) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (interactive && (arg.equals("-h") || arg.equals("--help"))) {
                return true;
            }
            if (!arg.startsWith("-") && words.size() < 2) {
                words.add(arg);
            }
        }
        return !words.isEmpty() && (words.get(0).equals("agent")
                || words.size() == 2 && words.get(0).equals("service") && words.get(1).equals("unlock"));
    }

    /** The body to send. */
    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(PROTOCOL);
            for (String s : List.of(version, dataFolder, workingFolder, charset)) {
                write(out, s);
            }
            out.writeInt(args.size());
            for (String arg : args) {
                write(out, arg);
            }
            out.writeInt(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                write(out, e.getKey());
                write(out, e.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to memory", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Reads a body.
     *
     * @throws IOException when it is not one of {@link #PROTOCOL}'s layout
     */
    static CommandCall read(byte[] body) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            int protocol = in.readInt();
            if (protocol != PROTOCOL) {
                throw new IOException("protocol " + protocol + " (this process speaks " + PROTOCOL + ")");
            }
            String version = read(in);
            String dataFolder = read(in);
            String workingFolder = read(in);
            String charset = read(in);
            int n = count(in);
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(read(in));
            }
            int m = count(in);
            Map<String, String> env = new TreeMap<>();
            for (int i = 0; i < m; i++) {
                env.put(read(in), read(in));
            }
            if (in.read() != -1) {
                throw new IOException("more than a command");
            }
            return new CommandCall(version, dataFolder, workingFolder, charset, List.copyOf(args), env);
        } catch (java.io.EOFException e) {
            throw new IOException("the command is cut short", e);
        }
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String read(DataInputStream in) throws IOException {
        return new String(in.readNBytes(count(in)), StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a length of " + n + " where " + in.available() + " bytes are left");
        }
        return n;
    }
}
