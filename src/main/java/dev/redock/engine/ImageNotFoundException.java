package dev.redock.engine;

/** An image is neither on the engine nor (for a pull) in its registry. */
public class ImageNotFoundException extends EngineException {

    public ImageNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
