package dev.redock.engine;

/** Something the Docker engine refused or could not do; the message is fit to show a user. */
public class EngineException extends Exception {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
