package dev.redock.ui.form;

import dev.redock.service.FieldNames;

/**
 * A service's settings as the window names them. The forms check each field as it is typed, so of the service layer's
 * messages only those about the source can reach the window; they name the source's fields by their labels.
 */
public enum FormNames implements FieldNames {
    INSTANCE;

    @Override
    public String of(String field) {
        return switch (field) {
            case "image" -> "an image";
            case "git" -> "a git repository";
            case "git.url" -> "the repository";
            case "git.remote" -> "the remote";
            default -> "the " + field.substring(field.indexOf('.') + 1);
        };
    }
}
