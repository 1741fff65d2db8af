package dev.redock.api;

/** A request the API answers with an error: its HTTP status, a message for the caller and, where it is about one, the field. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    ApiException(int status, String message) {
        this(status, message, null);
    }

    ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }
}
