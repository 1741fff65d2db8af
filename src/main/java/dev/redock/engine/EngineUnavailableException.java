package dev.redock.engine;

/** The Docker engine does not answer: not running, wrong address, or too slow. */
public class EngineUnavailableException extends EngineException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
