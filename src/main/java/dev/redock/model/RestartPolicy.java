package dev.redock.model;

/** A container restart policy: {@code no}, {@code always}, {@code unless-stopped} or {@code on-failure[:MAX]}. */
public record RestartPolicy(String name, int maxRetries) {

    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public static RestartPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            return NO;
        }
        String s = text.strip();
        if (s.equals("no") || s.equals("always") || s.equals("unless-stopped") || s.equals("on-failure")) {
            return new RestartPolicy(s, 0);
        }
        if (s.startsWith("on-failure:")) {
            String n = s.substring("on-failure:".length());
            try {
                int max = Integer.parseInt(n);
                if (max >= 0) {
                    return new RestartPolicy("on-failure", max);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw new ValidationException("restart", "invalid retry count \"" + n + "\" in restart policy \"" + text + "\"");
        }
        throw new ValidationException("restart", "unknown restart policy \"" + text
                + "\" (no, always, unless-stopped or on-failure[:MAX])");
    }

    @Override
    public String toString() {
        return name.equals("on-failure") && maxRetries > 0 ? name + ":" + maxRetries : name;
    }
}
