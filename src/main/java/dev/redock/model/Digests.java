package dev.redock.model;

/** Image digests as users read them. */
public final class Digests {

    private Digests() {
    }

    /** The first 12 hex digits of a digest ({@code sha256:4f9c0a...}), as {@code docker images} shows ids; "-" for none. */
    public static String shortDigest(String digest) {
        if (digest == null) {
            return "-";
        }
        int colon = digest.indexOf(':');
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
