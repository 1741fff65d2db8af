package dev.redock.engine;

import java.util.List;

/** A build the engine ran did not produce an image: a Dockerfile instruction failed, or the context was refused. */
public class BuildFailedException extends EngineException {

    private final List<String> logTail;

    public BuildFailedException(String message, List<String> logTail) {
        super(message);
        this.logTail = List.copyOf(logTail);
    }

    /** The build output's last lines, oldest first. */
    public List<String> logTail() {
        return logTail;
    }
}
