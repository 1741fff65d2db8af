package dev.redock.engine;

/** A container with the wanted name already exists. */
public class NameConflictException extends EngineException {

    private final String name;

    public NameConflictException(String name, Throwable cause) {
        super("a container named \"" + name + "\" already exists", cause);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
