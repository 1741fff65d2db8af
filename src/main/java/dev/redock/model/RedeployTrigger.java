package dev.redock.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A secret URL that redeploys one service when called: for registries that cannot be watched, CI jobs and scripts.
 * Only a hash of its token is kept.
 *
 * @param id         stable identity, for listing and revoking
 * @param serviceId  the service it redeploys
 * @param name       what the user called it ("docker hub", "ci")
 * @param created    when it was made
 * @param lastCalled when it last redeployed, or null
 */
public record RedeployTrigger(UUID id, UUID serviceId, String name, Instant created, Instant lastCalled) {

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.-]{0,99}");

    public static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "trigger name is empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("name", "invalid trigger name \"" + name
                    + "\" (letters, digits, spaces, '_', '.' and '-', at most 100)");
        }
        return name;
    }
}
