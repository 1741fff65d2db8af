package dev.redock.git;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import com.github.dockerjava.core.GoLangFileMatch;

/**
 * The patterns of a build context's {@code .dockerignore}, applied the way the docker CLI applies them, to paths relative
 * to the context with {@code /} as separator.
 *
 * <p>One pattern a line; a line that starts with {@code #} is a comment, blank lines are skipped and whitespace around a
 * pattern is dropped. A pattern is cleaned like a path ({@code ./}, a leading or trailing {@code /}, {@code //} and
 * {@code ..} go), then matched segment by segment with Go's {@code filepath.Match} syntax ({@code *}, {@code ?},
 * {@code [a-z]}, {@code [^a-z]}, {@code \} to escape); a segment that is just {@code **} matches any number of folders
 * ({@code **}{@code /*.log}, {@code a/**}{@code /b}). A path is left out when it, or one of the folders it is in, matches a
 * pattern; a pattern that starts with {@code !} brings matching paths back; the last pattern that matches decides.
 *
 * <p>Paths given to {@link #alwaysSending} are never left out, whatever the patterns say: the CLI always sends the
 * Dockerfile and the {@code .dockerignore} itself.
 */
public final class DockerIgnore {

    /** The file's name, at the root of the build context. */
    public static final String FILE_NAME = ".dockerignore";

    /** Nothing is left out. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of(), Set.of());

    private static final String ANY_FOLDERS = "**";

    private final List<Rule> rules;
    private final Set<String> alwaysSent;
    private final boolean hasExceptions;

    private DockerIgnore(List<Rule> rules, Set<String> alwaysSent) {
        this.rules = rules;
        this.alwaysSent = alwaysSent;
        this.hasExceptions = rules.stream().anyMatch(Rule::exception);
    }

    /**
     * Reads the patterns of a {@code .dockerignore}.
     *
     * @param text  the file's content
     * @param where what the file is, for messages, e.g. {@code "app/.dockerignore in commit 1a2b3c4"}
     * @throws GitException when a pattern is malformed (an unclosed {@code [}, a {@code \} at the end, a lone {@code !}),
     *                      naming the file and the line
     */
    public static DockerIgnore parse(String text, String where) throws GitException {
        List<Rule> rules = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.lines().toList()) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
                if (pattern.isEmpty()) {
                    throw malformed(where, lineNumber, line, "a lone \"!\" excepts nothing");
                }
            }
            List<String> segments = cleanSegments(pattern);
            if (segments.isEmpty()) {
                continue; // "." or "/": the context's root itself, which matches no path inside it
            }
            for (String segment : segments) {
                if (!segment.equals(ANY_FOLDERS) && !Rule.isLiteral(segment)) {
                    try {
                        GoLangFileMatch.match(segment, ""); // compiles the segment, so that a bad one fails here
                    } catch (IllegalArgumentException e) {
                        throw malformed(where, lineNumber, line, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                }
            }
            rules.add(new Rule(exception, segments));
        }
        return new DockerIgnore(List.copyOf(rules), Set.of());
    }

    /** The same patterns, except that these context-relative paths are never left out. */
    public DockerIgnore alwaysSending(Collection<String> paths) {
        return new DockerIgnore(rules, Set.copyOf(paths));
    }

    /** Whether the file (or folder) at this context-relative path is left out of the build context. */
    public boolean excludes(String path) {
        if (rules.isEmpty() || alwaysSent.contains(path)) {
            return false;
        }
        String[] segments = path.split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            // An exclusion cannot change an excluded path, nor an exception an included one.
            if (rule.exception() != excluded) {
                continue;
            }
            if (rule.matchesPathOrAFolderOfIt(segments)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /**
     * Whether everything in this folder is left out, so that a walk need not look inside: the folder is excluded and
     * neither an exception nor a path that is always sent can reach into it.
     */
    public boolean excludesAllOf(String folder) {
        if (!excludes(folder)) {
            return false;
        }
        String inside = folder + "/";
        if (alwaysSent.stream().anyMatch(p -> p.startsWith(inside))) {
            return false;
        }
        if (!hasExceptions) {
            return true;
        }
        String[] segments = folder.split("/");
        return rules.stream().noneMatch(r -> r.exception() && r.couldMatchInside(segments));
    }

    private static GitException malformed(String where, int lineNumber, String line, String why) {
        return new GitException("line " + lineNumber + " of " + where + " has a malformed pattern \"" + line.strip() + "\": "
                + why, false, null);
    }

    /**
     * The pattern's segments after cleaning it the way Go's {@code filepath.Clean} does (empty and {@code .} segments go,
     * {@code ..} removes the segment before it) and dropping a leading {@code /}; empty for the root itself.
     */
    private static List<String> cleanSegments(String pattern) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : pattern.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") && !segments.isEmpty() && !segments.peekLast().equals("..")) {
                segments.removeLast();
            } else if (!(segment.equals("..") && pattern.startsWith("/") && segments.isEmpty())) {
                segments.addLast(segment);
            }
        }
        return List.copyOf(segments);
    }

    /**
     * One pattern, as its path segments. Each segment but {@code **} is matched against one segment of a path by
     * docker-java's {@link GoLangFileMatch} (Go's {@code filepath.Match}). Whole patterns are not given to it, because it
     * wants a folder at least for every {@code **}: {@code **}{@code /a} would not match {@code a}, nor {@code a/**}{@code /b}
     * {@code a/b}, which docker matches. So {@code **} is handled here: the pattern is walked like a small automaton
     * whose states are positions in the segment list. On Windows, {@link GoLangFileMatch} treats {@code \} as a separator,
     * not as an escape, as the docker CLI on Windows does.
     */
    private record Rule(boolean exception, List<String> segments) {

        /** Whether the pattern matches the whole path or the path of one of the folders it is in. */
        boolean matchesPathOrAFolderOfIt(String[] path) {
            BitSet states = start();
            for (String name : path) {
                states = step(states, name);
                if (states.get(segments.size())) {
                    return true;
                }
                if (states.isEmpty()) {
                    return false;
                }
            }
            return false;
        }

        /** Whether the pattern could match some path inside this folder (that is longer than the folder's). */
        boolean couldMatchInside(String[] folder) {
            BitSet states = start();
            for (String name : folder) {
                states = step(states, name);
            }
            return states.previousSetBit(segments.size() - 1) >= 0;
        }

        private BitSet start() {
            BitSet states = new BitSet(segments.size() + 1);
            states.set(0);
            return skipFolderlessAnyFolders(states);
        }

        /** The states after one more path segment: a {@code **} stays and may also have consumed it. */
        private BitSet step(BitSet states, String name) {
            BitSet next = new BitSet(segments.size() + 1);
            for (int i = states.nextSetBit(0); i >= 0 && i < segments.size(); i = states.nextSetBit(i + 1)) {
                String segment = segments.get(i);
                if (segment.equals(ANY_FOLDERS)) {
                    next.set(i);
                    next.set(i + 1);
                } else if (matches(segment, name)) {
                    next.set(i + 1);
                }
            }
            return skipFolderlessAnyFolders(next);
        }

        /**
         * A {@code **} may match no folder at all, except at the end: {@code a/**} leaves out what is in {@code a}, as
         * docker's does, not a file called {@code a}.
         */
        private BitSet skipFolderlessAnyFolders(BitSet states) {
            for (int i = states.nextSetBit(0); i >= 0 && i < segments.size() - 1; i = states.nextSetBit(i + 1)) {
                if (segments.get(i).equals(ANY_FOLDERS)) {
                    states.set(i + 1);
                }
            }
            return states;
        }

        private static boolean matches(String segment, String name) {
            return isLiteral(segment) ? segment.equals(name) : GoLangFileMatch.match(segment, name);
        }

        /**
         * Whether the segment has none of Go's special characters, so that it only matches itself. Such segments are not
         * given to {@link GoLangFileMatch}, which is quicker and also keeps a stray {@code ]} literal, as in Go (it
         * refuses one).
         */
        static boolean isLiteral(String segment) {
            return segment.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
        }
    }
}
