package dev.redock.service;

import java.nio.file.Path;

/**
 * How a surface names the fields of a service's settings, so that {@link ServiceInput}'s messages, the same for every
 * way in, point at what the user typed there: the CLI says {@code --git URL}, the API {@code field "git.url"}, the
 * window its field's label. Fields are named as {@link dev.redock.model.ValidationException#field()} names them:
 * {@code image}, {@code git}, {@code git.url}, {@code git.remote}, {@code git.branch}, {@code name}, {@code ports}, ...
 */
public interface FieldNames {

    /** The field as this surface names it in a sentence. */
    String of(String field);

    /** The sentence for a required field left out. */
    default String required(String field) {
        return of(field) + " is required";
    }

    /** The folder a relative local path is taken from, or null where relative paths mean nothing (the API, the window). */
    default Path workingFolder() {
        return null;
    }
}
