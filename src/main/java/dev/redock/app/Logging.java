package dev.redock.app;

import java.nio.file.Path;

/** Points Logback at the data folder's {@code logs} folder; must run before the first logger is made. */
public final class Logging {

    public static final String LOG_DIR_PROPERTY = "redock.logdir";

    private Logging() {
    }

    public static void init(Path dataFolder) {
        if (System.getProperty(LOG_DIR_PROPERTY) == null) {
            System.setProperty(LOG_DIR_PROPERTY, AppPaths.logFolder(dataFolder).toString());
        }
    }
}
