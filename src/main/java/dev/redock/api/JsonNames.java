package dev.redock.api;

import dev.redock.service.FieldNames;

/** A service's settings as the API names them: by their fields in the body, {@code "git.url"} for one inside "git". */
enum JsonNames implements FieldNames {
    INSTANCE;

    @Override
    public String of(String field) {
        return "\"" + field + "\"";
    }

    @Override
    public String required(String field) {
        return "field " + of(field) + " is required";
    }
}
