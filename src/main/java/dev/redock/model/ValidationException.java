package dev.redock.model;

/** Input that cannot be accepted: names the field and says why, in words fit to show a user. */
public class ValidationException extends IllegalArgumentException {

    private final String field;

    public ValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field the message is about: {@code image}, {@code name}, {@code ports}, ... */
    public String field() {
        return field;
    }
}
