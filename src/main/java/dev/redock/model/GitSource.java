package dev.redock.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a service built from source comes from: a git repository's branch, the Dockerfile and the build context in it.
 *
 * <p>Paths are relative to the repository's root, with {@code /} as separator; {@code .} is the root itself. The Dockerfile
 * defaults to {@code Dockerfile} inside the build context. Path filters, when given, restrict automatic redeploys to
 * commits that change a matching path: {@code src/} or {@code src} (that folder), {@code *.go}, {@code docs/**},
 * {@code !README.md} (never on this path alone); see {@link PathFilter}.
 *
 * <p>What a user gives (the CLI, the API, the window's forms) goes through {@link #given}, which also refuses a URL with
 * a control character in it (a line break would add lines to what {@code git credential fill} is asked) or with
 * credentials in it (they belong in the user's git credential helper or SSH agent). The constructor alone takes what
 * an earlier Redock stored before those checks, so that such a service still loads; it is refused once its source is
 * changed, and its credentials never leave it: {@link #urlWithoutCredentials()} is what labels, messages and logs show.
 *
 * @param url        the repository: an absolute local path, {@code file://}, {@code https://}, {@code http://},
 *                   {@code ssh://} or scp-like {@code user@host:path}; only ssh ones name a user, and none a password
 * @param branch     the branch to follow, e.g. {@code main} (a leading {@code refs/heads/} is dropped)
 * @param dockerfile the Dockerfile's path in the repository
 * @param context    the build context's path in the repository
 * @param paths      path filters; empty to redeploy on every commit
 */
public record GitSource(String url, String branch, String dockerfile, String context, List<String> paths) {

    public static final String DEFAULT_DOCKERFILE = "Dockerfile";
    public static final String ROOT = ".";

    private static final Pattern SCHEME_URL = Pattern.compile("(?i)(file|https?|ssh|git)://.+");
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:(?!//).+");
    private static final Pattern BAD_REF_CHARS = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]");
    private static final Pattern IMAGE_COMPONENT_JUNK = Pattern.compile("[^a-z0-9]+");
    /** A control character, as it is or percent-encoded (which git and JGit decode). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]|%[01][0-9a-fA-F]|%7[fF]");
    /** {@code scheme://userinfo@}: the user name and password a URL may carry before its host. */
    private static final Pattern USERINFO = Pattern.compile("(?i)^([a-z][a-z0-9+.-]*://)([^/?#]*)@");
    static final String CREDENTIALS_REFUSED = "the git URL carries credentials (a user name or password): they belong in"
            + " your git credential helper (for https) or your SSH agent (for ssh), never in the URL";
    static final String CONTROL_REFUSED = "the git URL contains a control character (such as a line break, as it is or"
            + " written %0A): a repository's URL never has one";

    public GitSource {
        url = validUrl(url);
        branch = validBranch(branch);
        context = validPath("context", context == null || context.isBlank() ? ROOT : context);
        dockerfile = dockerfile == null || dockerfile.isBlank() ? defaultDockerfile(context) : validPath("dockerfile", dockerfile);
        if (dockerfile.equals(ROOT)) {
            throw new ValidationException("dockerfile", "the Dockerfile path names the repository's root, not a file");
        }
        List<String> checked = new ArrayList<>();
        for (String p : paths == null ? List.<String>of() : paths) {
            checked.add(PathFilter.validPattern(p));
        }
        paths = List.copyOf(checked);
    }

    /**
     * A source as a user gives it: checked as the constructor checks it, and its URL also without control characters and
     * credentials. Every way in (the CLI, the API, the window) makes its sources here, so each refusal reads the same.
     */
    public static GitSource given(String url, String branch, String dockerfile, String context, List<String> paths) {
        return new GitSource(givenUrl(url), branch, dockerfile, context, paths);
    }

    /** A source as a user gives it, on the branch with the default Dockerfile and context and no path filters. */
    public static GitSource of(String url, String branch) {
        return given(url, branch, null, null, null);
    }

    /** What polling groups by: one request per distinct key. */
    public String key() {
        return url + "#" + branch;
    }

    /**
     * Whether two URLs name the same repository, whatever their form: {@code https://host/o/r.git},
     * {@code git@host:o/r} and {@code ssh://git@host/o/r} all name {@code host/o/r} (host case and a trailing {@code .git}
     * or slash aside). Local paths and {@code file://} URLs compare by path.
     */
    public static boolean sameRepository(String a, String b) {
        return repositoryIdentity(a).equals(repositoryIdentity(b));
    }

    static String repositoryIdentity(String url) {
        String s = url.strip();
        String host = "";
        String path;
        java.util.regex.Matcher scheme = Pattern.compile("(?i)([a-z]+)://(?:[^@/]*@)?([^/:]+)(?::\\d+)?(/.*)?").matcher(s);
        if (s.toLowerCase(Locale.ROOT).startsWith("file://")) {
            path = s.substring("file://".length());
        } else if (scheme.matches()) {
            host = scheme.group(2).toLowerCase(Locale.ROOT);
            path = scheme.group(3) == null ? "" : scheme.group(3);
        } else if (SCP_LIKE.matcher(s).matches() && !s.startsWith("/")) {
            int colon = s.indexOf(':');
            String userHost = s.substring(0, colon);
            host = userHost.substring(userHost.indexOf('@') + 1).toLowerCase(Locale.ROOT);
            path = s.substring(colon + 1);
        } else {
            path = s;
        }
        path = path.replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        path = path.replaceAll("^/+", "");
        return host + "/" + path;
    }

    /** {@code git:<url>#<branch>}, as lists and logs show it (without credentials). */
    public String describe() {
        return "git:" + urlWithoutCredentials() + "#" + branch;
    }

    /** The URL as it may be shown, logged or put in an image label: see {@link #withoutCredentials(String)}. */
    public String urlWithoutCredentials() {
        return withoutCredentials(url);
    }

    /**
     * A URL without the credentials it carries, as a source stored before Redock refused them may: the user name and
     * password go, but an ssh URL keeps its user name ({@code ssh://git@host/...}), which is no secret.
     */
    public static String withoutCredentials(String url) {
        java.util.regex.Matcher m = USERINFO.matcher(url);
        return m.find() ? m.group(1) + keptUser(m) + url.substring(m.end()) : url;
    }

    /**
     * {@code text} with the credentials {@code url} carries taken out wherever it quotes them (a remote's error message
     * that names the URL, say).
     */
    public static String hidingCredentials(String url, String text) {
        java.util.regex.Matcher m = USERINFO.matcher(url);
        if (text == null || !m.find()) {
            return text;
        }
        return text.replace(m.group(2) + "@", keptUser(m));
    }

    /** What of a URL's user information may be shown: an ssh URL's user name ({@code "git@"}), else nothing. */
    private static String keptUser(java.util.regex.Matcher userInfo) {
        String user = userInfo.group(2);
        int colon = user.indexOf(':');
        if (!isSsh(userInfo.group(1).toLowerCase(Locale.ROOT)) || colon == 0 || user.isEmpty()) {
            return "";
        }
        return (colon < 0 ? user : user.substring(0, colon)) + "@";
    }

    private static boolean isSsh(String scheme) {
        return scheme.startsWith("ssh") || scheme.startsWith("git+ssh");
    }

    /** Whether a change to these paths (repository-relative) should redeploy: always when there are no path filters. */
    public boolean touches(Collection<String> changedPaths) {
        return PathFilter.matchesAny(paths, changedPaths);
    }

    /**
     * The Dockerfile as a user would give it: null when it is the build context's default, so that a change of the context
     * alone takes the Dockerfile along (as the Edit form, {@code service set} and {@code PATCH} do); else its path.
     */
    public String givenDockerfile() {
        return dockerfile.equals(defaultDockerfile(context)) ? null : dockerfile;
    }

    private static String defaultDockerfile(String context) {
        return context.equals(ROOT) ? DEFAULT_DOCKERFILE : context + "/" + DEFAULT_DOCKERFILE;
    }

    /** The Dockerfile's path inside the build context, or null when it lies outside the context. */
    public String dockerfileInContext() {
        if (context.equals(ROOT)) {
            return dockerfile;
        }
        return dockerfile.startsWith(context + "/") ? dockerfile.substring(context.length() + 1) : null;
    }

    /** A service name taken from the repository's name: {@code https://host/team/web.git} gives {@code web}. */
    public String suggestedName() {
        String s = url.replaceAll("[/\\\\]+$", "");
        s = s.substring(Math.max(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')), s.lastIndexOf('\\')) + 1);
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - 4);
        }
        String name = s.replaceAll("[^a-zA-Z0-9_.-]", "-").replaceAll("^[^a-zA-Z0-9]+", "");
        return name.isEmpty() ? "app" : name.length() > 63 ? name.substring(0, 63) : name;
    }

    /**
     * The local image a service built from source runs: {@code redock/<name>:<tag>}, the name lowercased and made fit for
     * an image reference.
     */
    public static ImageRef builtImage(String serviceName, String tag) {
        String component = IMAGE_COMPONENT_JUNK.matcher(serviceName.toLowerCase(Locale.ROOT)).replaceAll("-")
                .replaceAll("^-+|-+$", "");
        return ImageRef.parse("redock/" + (component.isEmpty() ? "service" : component) + ":" + tag);
    }

    static String validUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new ValidationException("git", "the git repository is empty (a path, file://, https:// or ssh:// URL)");
        }
        String u = url.strip();
        if (u.chars().anyMatch(Character::isWhitespace)) {
            throw new ValidationException("git", "the git repository \"" + url + "\" contains spaces");
        }
        if (SCHEME_URL.matcher(u).matches()) {
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw new ValidationException("git", "invalid git URL \"" + url + "\": " + e.getReason());
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
                throw new ValidationException("git", "the git URL \"" + url + "\" has no host");
            }
            return u;
        }
        if (u.startsWith("/")) {
            return u;
        }
        if (SCP_LIKE.matcher(u).matches() && !u.contains("://")) {
            return u;
        }
        throw new ValidationException("git", "invalid git repository \"" + url
                + "\" (an absolute path, or a file://, https://, http:// or ssh:// URL, or user@host:path)");
    }

    /** What {@link #given} checks beyond the constructor: no control character, no credentials. */
    static String givenUrl(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        if (CONTROL.matcher(u).find()) {
            throw new ValidationException("git", CONTROL_REFUSED);
        }
        java.util.regex.Matcher m = USERINFO.matcher(u);
        if (m.find() && (m.group(2).contains(":") || !isSsh(m.group(1).toLowerCase(Locale.ROOT)))) {
            throw new ValidationException("git", CREDENTIALS_REFUSED);
        }
        return url;
    }

    static String validBranch(String branch) {
        if (branch == null || branch.isBlank()) {
            throw new ValidationException("branch", "the branch is empty");
        }
        String b = branch.strip();
        if (b.startsWith("refs/heads/")) {
            b = b.substring("refs/heads/".length());
        }
        if (b.isEmpty() || BAD_REF_CHARS.matcher(b).find() || b.startsWith("-") || b.startsWith("/") || b.endsWith("/")
                || b.endsWith(".") || b.endsWith(".lock") || b.contains("..") || b.contains("//") || b.contains("@{")
                || b.equals("@") || b.contains("/.") || b.startsWith(".")) {
            throw new ValidationException("branch", "invalid branch name \"" + branch + "\"");
        }
        return b;
    }

    /** A relative path inside the repository, normalised: no leading {@code ./} or {@code /}, no {@code ..}. */
    static String validPath(String field, String path) {
        String p = path.strip().replace('\\', '/');
        if (p.startsWith("/")) {
            throw new ValidationException(field, "the " + field + " path \"" + path
                    + "\" must be relative to the repository's root (e.g. " + (field.equals("context") ? "web" : "web/Dockerfile") + ")");
        }
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        p = p.replaceAll("/+", "/").replaceAll("^/+", "").replaceAll("/+$", "");
        if (p.isEmpty() || p.equals(".")) {
            return ROOT;
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new ValidationException(field, "the " + field + " path \"" + path + "\" leaves the repository ('..')");
            }
        }
        p = p.replace("/./", "/").replaceAll("/\\.$", "");
        if (p.chars().anyMatch(c -> c < 0x20)) {
            throw new ValidationException(field, "the " + field + " path \"" + path + "\" contains control characters");
        }
        return p;
    }
}
