package dev.redock.app;

import java.io.IOException;
import java.nio.file.Path;

import dev.redock.store.PrivateFiles;

/**
 * Points Logback at the data folder's {@code logs} folder ({@link LogConfigurator} writes there); must run before the first
 * logger is made. It makes the data folder and the logs folder first, readable by the user alone, so that Logback does not
 * make them with the umask's modes.
 */
public final class Logging {

    public static final String LOG_DIR_PROPERTY = "redock.logdir";

    private Logging() {
    }

    public static void init(Path dataFolder) {
        if (System.getProperty(LOG_DIR_PROPERTY) == null) {
            Path logs = AppPaths.logFolder(dataFolder);
            try {
                PrivateFiles.folder(dataFolder);
                PrivateFiles.folder(logs);
            } catch (IOException e) {
                // Nothing logs yet: opening the database says what is wrong with the folder.
            }
            System.setProperty(LOG_DIR_PROPERTY, logs.toString());
        }
    }
}
