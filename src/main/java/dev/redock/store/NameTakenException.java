package dev.redock.store;

import dev.redock.model.ValidationException;

/** Another service already has this name. */
public class NameTakenException extends ValidationException {

    public NameTakenException(String name) {
        super("name", "a service named \"" + name + "\" already exists");
    }
}
