package dev.redock.model;

/** An image reference that does not follow Docker's grammar; the message says what is wrong. */
public class InvalidReferenceException extends ValidationException {

    public InvalidReferenceException(String message) {
        super("image", message);
    }
}
