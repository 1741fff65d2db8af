package dev.redock.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user's credentials for one registry, as {@code docker login} stored them.
 *
 * @param username      the user name (may be empty when only an identity token is known)
 * @param password      the password or access token; never logged
 * @param identityToken an OAuth2 refresh token some registries hand out instead of keeping the password, or null; never
 *                      logged
 */
public record Credentials(String username, String password, String identityToken) {

    public Credentials {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        identityToken = identityToken == null || identityToken.isEmpty() ? null : identityToken;
    }

    /** Credentials made of a user name and a password. */
    public static Credentials of(String username, String password) {
        return new Credentials(username, password, null);
    }

    /** Whether a user name and a password are there, for Basic authentication. */
    public boolean hasPassword() {
        return !username.isEmpty() && !password.isEmpty();
    }

    /** The {@code Authorization} header value for Basic authentication. */
    String basicHeader() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Names the user only: the secrets never reach a log or a message. */
    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + (password.isEmpty() ? "none" : "***")
                + ", identityToken=" + (identityToken == null ? "none" : "***") + "]";
    }
}
