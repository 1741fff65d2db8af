package dev.redock.app;

/** What Redock says of itself. */
public final class AppInfo {

    private AppInfo() {
    }

    /** The version in the jar's manifest, or {@code dev} when run from classes. */
    public static String version() {
        String v = AppInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
