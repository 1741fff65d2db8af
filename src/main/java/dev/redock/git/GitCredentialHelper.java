package dev.redock.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS credentials from the user's git credential helpers (the store, the OS keychain, Git Credential Manager...):
 * asks {@code git credential fill} as git itself would, never prompting, and keeps nothing. JGit has no credential helper
 * support of its own. Without {@code git} on the PATH, or without a helper that knows the host, there are no credentials
 * and the remote answers as it does to anyone.
 *
 * <p>SSH is not this class's business: JGit's Apache MINA sshd transport reads the user's keys, {@code ~/.ssh/config} and
 * {@code known_hosts} itself, and uses the keys of the user's SSH agent (the socket named by {@code SSH_AUTH_SOCK}, or by
 * {@code IdentityAgent} in {@code ~/.ssh/config}) through JGit's agent connector. Host keys it does not know are refused,
 * since nobody can be asked.
 *
 * <p>The request is lines of {@code key=value}: a value with a line break or NUL in it would add lines of its own choosing
 * (another {@code host=}, say) and get the user's credentials for another host sent to this one. Such a request is never
 * written. {@link dev.redock.model.GitSource} refuses such URLs already; this holds for any URL JGit hands over (one
 * stored before that check, or a redirect's).
 */
public final class GitCredentialHelper extends CredentialsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GitCredentialHelper.class);
    private static final String CONTROL = "[\\x00-\\x1f\\x7f]";

    private final String git;
    private final Duration timeout;

    public GitCredentialHelper() {
        this("git", Duration.ofSeconds(10));
    }

    public GitCredentialHelper(String gitExecutable, Duration timeout) {
        this.git = gitExecutable;
        this.timeout = timeout;
    }

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        for (CredentialItem item : items) {
            if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return false;
        }
        for (CredentialItem item : items) {
            if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
                throw new UnsupportedCredentialItem(uri, item.getClass().getSimpleName() + ": " + item.getPromptText());
            }
        }
        String request;
        try {
            request = request(uri, scheme);
        } catch (IllegalArgumentException e) {
            LOG.warn("Not asking the git credential helpers for a URL on {}: {}",
                    String.valueOf(uri.getHost()).replaceAll(CONTROL, "?"), e.getMessage());
            return false;
        }
        Map<String, String> answer = fill(request, uri);
        String username = answer.get("username");
        String password = answer.get("password");
        if (username == null || password == null) {
            return false;
        }
        for (CredentialItem item : items) {
            if (item instanceof CredentialItem.Username u) {
                u.setValue(username);
            } else if (item instanceof CredentialItem.Password p) {
                p.setValue(password.toCharArray());
            }
        }
        return true;
    }

    /**
     * What {@code git credential fill} is asked: protocol, host, path and user name, one line each.
     *
     * @throws IllegalArgumentException when a value holds a line break or NUL
     */
    static String request(URIish uri, String scheme) {
        StringBuilder request = new StringBuilder();
        line(request, "protocol", scheme);
        line(request, "host", uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!path.isEmpty()) {
            line(request, "path", path);
        }
        if (uri.getUser() != null) {
            line(request, "username", uri.getUser());
        }
        return request.append('\n').toString();
    }

    private static void line(StringBuilder request, String key, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("its " + key + " holds a line break or NUL, which would add lines to the request");
        }
        request.append(key).append('=').append(value).append('\n');
    }

    private Map<String, String> fill(String request, URIish uri) {
        ProcessBuilder pb = new ProcessBuilder(git, "credential", "fill");
        // Never prompt: there is nobody at a terminal (the scheduler), and a prompt would hang.
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GCM_INTERACTIVE", "never");
        pb.environment().put("GIT_ASKPASS", "");
        pb.environment().put("SSH_ASKPASS", "");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = null;
        try {
            p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(request.getBytes(StandardCharsets.UTF_8));
            }
            // The answer is a few lines, well within the pipe's buffer: wait first (bounded), then read.
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return Map.of();
            }
            byte[] out = readAll(p.getInputStream());
            Map<String, String> result = new HashMap<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    result.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return result;
        } catch (IOException e) {
            LOG.debug("No git credential helper to ask for {}: {}", uri.getHost(), e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private byte[] readAll(InputStream in) throws IOException {
        // Bounded: a helper's answer is a few lines.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0 && out.size() < 64 * 1024) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
