package dev.redock.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment values as Redock shows them: masked unless the user asks to see them, since they are often passwords and
 * tokens. A masked value that comes back (a client sending back what it read, the Edit form saved without revealing)
 * means "keep the value stored for this key", so that nobody has to see a secret to change something else.
 */
public final class EnvMask {

    /** What a value shows as; given as a value, it keeps the stored one. */
    public static final String MASK = "********";

    private EnvMask() {
    }

    /** The environment with every value that is not empty shown as {@link #MASK}, in the same order. */
    public static Map<String, String> masked(Map<String, String> env) {
        Map<String, String> masked = new LinkedHashMap<>();
        env.forEach((key, value) -> masked.put(key, value.isEmpty() ? value : MASK));
        return masked;
    }

    /**
     * The environment given, with each value given as {@link #MASK} replaced by the one stored for its key.
     *
     * @param stored the values stored before; empty for a new service
     * @throws ValidationException (field {@code env}) when a key given masked has no value stored
     */
    public static Map<String, String> unmasked(Map<String, String> given, Map<String, String> stored) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String value = e.getValue();
            if (MASK.equals(value)) {
                value = stored.get(e.getKey());
                if (value == null) {
                    throw new ValidationException("env", "the value of " + e.getKey() + " is the mask " + MASK
                            + ", which keeps a stored value, and " + e.getKey() + " has none: give its value");
                }
            }
            env.put(e.getKey(), value);
        }
        return env;
    }
}
