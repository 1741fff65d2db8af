package dev.redock.engine;

import java.io.IOException;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ResponseItem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming call's callback (pull, build) that keeps what went wrong for the caller: the engine's own error in the
 * stream, or the transport's failure. docker-java's default handler would only log the failure.
 */
abstract class StreamCallback<T> extends ResultCallback.Adapter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCallback.class);

    /** The error the engine reported in the stream, or null. */
    protected volatile String error;
    private volatile RuntimeException failure;

    @Override
    public void onError(Throwable throwable) {
        failure = throwable instanceof RuntimeException r ? r : new RuntimeException(throwable);
        try {
            close();
        } catch (IOException e) {
            LOG.debug("Closing the stream failed", e);
        }
    }

    /** Throws the transport's failure, if the stream ended with one. */
    void rethrowFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    /** The engine's words for an item that says something went wrong. */
    static String errorOf(ResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            return item.getErrorDetail().getMessage().strip();
        }
        return item.getError() != null ? item.getError().strip() : "the engine reported an error";
    }
}
