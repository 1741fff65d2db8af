package dev.redock.engine;

/** The container is gone. */
public class ContainerNotFoundException extends EngineException {

    public ContainerNotFoundException(String idOrName, Throwable cause) {
        super("container \"" + idOrName + "\" does not exist", cause);
    }
}
