package dev.redock.engine;

/**
 * A volume a container mounts: a named one, or an anonymous one the engine made for an image's {@code VOLUME}.
 *
 * @param name        the volume's name (for an anonymous volume, 64 hex digits)
 * @param destination where it is mounted in the container
 * @param readOnly    whether it is mounted read-only
 */
public record VolumeMount(String name, String destination, boolean readOnly) {

    /** Whether the engine named it itself: an image's {@code VOLUME} the user did not name. */
    public boolean anonymous() {
        return name.matches("[0-9a-f]{64}");
    }

    /** How it reads in messages: the name, shortened when it is an anonymous volume's id. */
    public String describe() {
        return anonymous() ? "anonymous volume " + name.substring(0, 12) + " (" + destination + ")" : name + " (" + destination + ")";
    }
}
