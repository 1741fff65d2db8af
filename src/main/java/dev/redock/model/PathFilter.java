package dev.redock.model;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Path filters of a git source: which changed paths make a commit worth a redeploy.
 *
 * <p>A pattern is matched against repository-relative paths ({@code src/main/App.java}):
 * <ul>
 *   <li>without wildcards it names a file or a folder: {@code src} and {@code src/} match everything under {@code src/};</li>
 *   <li>{@code *} matches within one path segment, {@code ?} one character, {@code **} any number of segments; a pattern
 *       without {@code /} matches a file name at any depth ({@code *.md} is {@code README.md} and {@code docs/a.md});</li>
 *   <li>a leading {@code !} excludes: a change only on excluded paths does not count.</li>
 * </ul>
 * A commit counts when one of its changed paths matches an including pattern (or, with only excluding patterns, any
 * pattern at all) and no excluding one.
 */
public final class PathFilter {

    private PathFilter() {
    }

    /** Checks and normalises one pattern. */
    public static String validPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new ValidationException("paths", "a path filter is empty");
        }
        String p = pattern.strip().replace('\\', '/');
        boolean negated = p.startsWith("!");
        String body = negated ? p.substring(1).strip() : p;
        while (body.startsWith("./")) {
            body = body.substring(2);
        }
        body = body.replaceAll("^/+", "");
        if (body.isEmpty()) {
            throw new ValidationException("paths", "the path filter \"" + pattern + "\" names nothing");
        }
        for (String part : body.split("/")) {
            if (part.equals("..")) {
                throw new ValidationException("paths", "the path filter \"" + pattern + "\" leaves the repository ('..')");
            }
        }
        return negated ? "!" + body : body;
    }

    /** Whether the changes count under these patterns; with no patterns, any change counts (and so does none). */
    public static boolean matchesAny(List<String> patterns, Collection<String> changedPaths) {
        if (patterns.isEmpty()) {
            return true;
        }
        boolean anyInclude = patterns.stream().anyMatch(p -> !p.startsWith("!"));
        for (String path : changedPaths) {
            boolean included = !anyInclude;
            boolean excluded = false;
            for (String p : patterns) {
                if (p.startsWith("!")) {
                    excluded |= matches(p.substring(1), path);
                } else {
                    included |= matches(p, path);
                }
            }
            if (included && !excluded) {
                return true;
            }
        }
        return false;
    }

    /** Whether one (non-negated) pattern matches one path. */
    public static boolean matches(String pattern, String path) {
        String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
        boolean wildcard = p.contains("*") || p.contains("?");
        if (!wildcard) {
            return path.equals(p) || path.startsWith(p + "/");
        }
        String regex = toRegex(p);
        if (!p.contains("/")) {
            // A bare name pattern matches a file or folder name at any depth.
            regex = "(?:.*/)?" + regex;
        }
        // A pattern that matches a folder matches what is inside it.
        return Pattern.compile(regex + "(?:/.*)?").matcher(path).matches();
    }

    private static String toRegex(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    r.append(slashAfter ? "(?:.*/)?" : ".*");
                    i += slashAfter ? 2 : 1;
                } else {
                    r.append("[^/]*");
                }
            } else if (c == '?') {
                r.append("[^/]");
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }
}
