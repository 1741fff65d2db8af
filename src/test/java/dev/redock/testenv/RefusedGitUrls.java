package dev.redock.testenv;

import java.util.List;

import dev.redock.model.GitSource;
import dev.redock.model.ValidationException;

/**
 * Git URLs every way in refuses (the CLI, the API, the window): a control character, as it is or percent-encoded, would
 * add lines to what {@code git credential fill} is asked; a password or a token as the user name would be stored,
 * labelled and logged. Each way in must repeat the validation's own message.
 */
public final class RefusedGitUrls {

    public static final List<String> URLS = List.of("https://git.example.com/team/web.git%0Ahost=evil.example",
            "https://git.example.com/team/web\n.git", "https://me:s3cret@git.example.com/team/web.git",
            "https://ghp_0123456789abcdef@git.example.com/team/web.git");

    /** The one with a token as its user name. */
    public static final String TOKEN_AS_USER = URLS.get(3);

    private RefusedGitUrls() {
    }

    /** What the validation says of the URL. */
    public static String message(String url) {
        try {
            GitSource.of(url, "main");
        } catch (ValidationException e) {
            return e.getMessage();
        }
        throw new AssertionError(url + " is not refused");
    }
}
