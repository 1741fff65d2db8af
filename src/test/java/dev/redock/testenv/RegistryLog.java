package dev.redock.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests a Distribution registry logged, read from its log file: what the registry itself saw, to assert for example
 * "one HEAD per poll".
 *
 * <p>Distribution 2.8 writes two lines per request: a structured one ({@code msg="response completed"} or
 * {@code msg="response completed with error"}, with {@code http.request.method=HEAD http.request.uri=/v2/...}) and, unless
 * the access log is disabled, an access-log line ({@code "HEAD /v2/... HTTP/1.1" 200}). Other structured lines (such as
 * {@code authorized request}) carry the same fields, so only the structured "response completed" lines are counted; the
 * access-log lines are used only when a log has no such lines (log level above info).
 *
 * <p>The registry writes its line just after it answers, so a client may see the answer a moment before the line: wait
 * for counts with Awaitility, and take a {@link #mark()} only once earlier requests have shown up.
 */
public final class RegistryLog {

    /** One request: its method, its path (without the query) and the registry's answer. */
    public record Request(String method, String path, String query, int status) {
    }

    /** A place in the log: requests logged after it are counted by {@link #countSince}. */
    public record Mark(long offset) {
    }

    private static final Pattern COMPLETED = Pattern.compile("msg=\"response completed( with error)?\"");
    private static final Pattern METHOD = Pattern.compile("\\bhttp\\.request\\.method=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
    private static final Pattern URI = Pattern.compile("\\bhttp\\.request\\.uri=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
    private static final Pattern STATUS = Pattern.compile("\\bhttp\\.response\\.status=(\\d{3})");
    private static final Pattern ACCESS = Pattern.compile("^\\S+ - \\S+ \\[[^]]+] \"([A-Z]+) (\\S+) HTTP/[\\d.]+\" (\\d{3}) ");

    private final Path file;

    public RegistryLog(Path file) {
        this.file = file;
    }

    /** The test registry's log. */
    public static RegistryLog ofTestRegistry() {
        return TestEnv.registryLog();
    }

    public Path file() {
        return file;
    }

    /** The end of the log as it is now. */
    public Mark mark() {
        try {
            return new Mark(Files.size(file));
        } catch (NoSuchFileException e) {
            return new Mark(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request logged so far, oldest first. */
    public List<Request> requests() {
        return requestsSince(new Mark(0));
    }

    /** Every request logged after the mark, oldest first. */
    public List<Request> requestsSince(Mark mark) {
        String text = read(mark.offset());
        List<Request> structured = new ArrayList<>();
        List<Request> access = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (COMPLETED.matcher(line).find()) {
                Matcher method = METHOD.matcher(line);
                Matcher uri = URI.matcher(line);
                Matcher status = STATUS.matcher(line);
                if (method.find() && uri.find()) {
                    structured.add(request(unquote(method.group(1)), unquote(uri.group(1)), status.find() ? Integer.parseInt(status.group(1)) : 0));
                }
            } else {
                Matcher m = ACCESS.matcher(line);
                if (m.find()) {
                    access.add(request(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
                }
            }
        }
        return structured.isEmpty() ? access : structured;
    }

    /** How many requests with this method (e.g. {@code HEAD}) and path (e.g. {@code /v2/app/manifests/latest}) were logged. */
    public long count(String method, String path) {
        return countSince(new Mark(0), method, path);
    }

    /** As {@link #count}, only for requests logged after the mark. */
    public long countSince(Mark mark, String method, String path) {
        return requestsSince(mark).stream().filter(r -> r.method().equalsIgnoreCase(method) && r.path().equals(path)).count();
    }

    /**
     * Waits until the registry has logged the requests made so far: it logs each one just after answering it, so a count
     * (or a mark) taken right after a request can miss it. Logged means the count has stayed the same for half a second.
     */
    public void awaitLogged(String method, String path) {
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    long now = count(method, path);
                    return last.getAndSet(now) == now;
                });
    }

    private String read(long offset) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = (int) Math.min(offset, bytes.length);
            // Only whole lines: a line being written as we read is counted next time.
            int to = bytes.length;
            while (to > from && bytes[to - 1] != '\n') {
                to--;
            }
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request request(String method, String uri, int status) {
        int q = uri.indexOf('?');
        return new Request(method, q < 0 ? uri : uri.substring(0, q), q < 0 ? "" : uri.substring(q + 1), status);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
