package dev.redock.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a registry last said of its pull rate limit, in the headers Docker Hub sends on manifest requests
 * ({@code ratelimit-limit: 100;w=21600} and {@code ratelimit-remaining: 20;w=21600}: 100 pulls per 6 hours, 20 of them
 * left). By Docker's documentation a {@code HEAD} of a manifest, which is all a check is, does not count against that
 * limit; a pull by the engine does. So this is what is left for deployments, shown to the user, not a limit on checks.
 *
 * @param limit     pulls allowed per window
 * @param remaining pulls left in the current window
 * @param window    the window, e.g. 6 hours
 * @param seen      when the registry said so
 */
public record RateLimit(int limit, int remaining, Duration window, Instant seen) {

    private static final Pattern VALUE = Pattern.compile("^\\s*(\\d{1,9})\\s*(?:;\\s*w\\s*=\\s*(\\d{1,9}))?");

    /** The limit the answer's headers state, or empty when they state none (or none Redock can read). */
    static Optional<RateLimit> of(Reply reply, Instant now) {
        Matcher limit = matcher(reply.header("ratelimit-limit"));
        Matcher remaining = matcher(reply.header("ratelimit-remaining"));
        if (limit == null || remaining == null) {
            return Optional.empty();
        }
        String window = limit.group(2) != null ? limit.group(2) : remaining.group(2);
        return Optional.of(new RateLimit(Integer.parseInt(limit.group(1)), Integer.parseInt(remaining.group(1)),
                window == null ? null : Duration.ofSeconds(Long.parseLong(window)), now));
    }

    private static Matcher matcher(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = VALUE.matcher(value);
        return m.find() ? m : null;
    }
}
