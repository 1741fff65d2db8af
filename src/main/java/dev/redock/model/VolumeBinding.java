package dev.redock.model;

/**
 * A volume or bind mount: {@code SOURCE:TARGET[:ro|rw]}, as {@code docker run -v} takes it. A source that starts with
 * {@code /} is a host path (bind mount); otherwise it is a named volume.
 */
public record VolumeBinding(String source, String target, boolean readOnly) {

    private static final java.util.regex.Pattern VOLUME_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    public static VolumeBinding parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException("volumes", "volume is empty (expected SOURCE:TARGET, e.g. /srv/data:/data)");
        }
        String[] parts = text.strip().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new ValidationException("volumes", "invalid volume \"" + text + "\" (expected SOURCE:TARGET[:ro])");
        }
        String source = parts[0];
        String target = parts[1];
        boolean readOnly = false;
        if (parts.length == 3) {
            switch (parts[2]) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                default -> throw new ValidationException("volumes", "invalid volume mode \"" + parts[2] + "\" in \"" + text + "\" (ro or rw)");
            }
        }
        if (source.isEmpty()) {
            throw new ValidationException("volumes", "volume \"" + text + "\" has no source");
        }
        if (!source.startsWith("/") && !VOLUME_NAME.matcher(source).matches()) {
            throw new ValidationException("volumes", "volume source \"" + source
                    + "\" is neither an absolute host path nor a valid volume name");
        }
        if (!target.startsWith("/")) {
            throw new ValidationException("volumes", "volume target \"" + target + "\" in \"" + text + "\" must be an absolute path");
        }
        return new VolumeBinding(source, target, readOnly);
    }

    public boolean isBindMount() {
        return source.startsWith("/");
    }

    @Override
    public String toString() {
        return source + ":" + target + (readOnly ? ":ro" : "");
    }
}
