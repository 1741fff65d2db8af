package dev.redock.engine;

/** A container could not start because a host port it publishes is taken. */
public class PortInUseException extends EngineException {

    private final Integer port;

    /** @param port the host port, or null when the engine's message did not say which */
    public PortInUseException(Integer port, String detail, Throwable cause) {
        super(port == null ? "a host port is already in use: " + detail : "host port " + port + " is already in use", cause);
        this.port = port;
    }

    /** The host port, or null when the engine did not say which. */
    public Integer port() {
        return port;
    }
}
