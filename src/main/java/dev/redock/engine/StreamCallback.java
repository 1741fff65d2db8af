package dev.redock.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming call's callback (pull, build) that keeps what went wrong for the caller: the engine's own error in the
 * stream, or the transport's failure. docker-java's default handler would only log the failure. A listener that fails
 * is logged and does not end the stream.
 */
abstract class StreamCallback<T extends ResponseItem> extends ResultCallback.Adapter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCallback.class);

    /** The error the engine reported in the stream, or null. */
    protected volatile String error;
    private volatile RuntimeException failure;

    @Override
    public final void onNext(T item) {
        if (item.isErrorIndicated()) {
            error = errorOf(item);
            engineError(error);
            return;
        }
        item(item);
    }

    /** An item of the stream that reports no error. */
    protected abstract void item(T item);

    /** Hears the error the engine reported in the stream; nothing by default. */
    protected void engineError(String error) {
    }

    /** Tells a listener ("pull progress") something; a listener that fails is logged, and the stream goes on. */
    protected static void tell(String listener, Runnable telling) {
        try {
            telling.run();
        } catch (RuntimeException e) {
            LOG.warn("A {} listener failed", listener, e);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failure = throwable instanceof RuntimeException r ? r : new RuntimeException(throwable);
        try {
            close();
        } catch (IOException e) {
            LOG.debug("Closing the stream failed", e);
        }
    }

    /**
     * Waits at most {@code timeout} for a stream to end (this kind, or any other: a container's logs). An interrupt ends
     * the wait as a failure of {@code action} ("pulling web:1"), with the thread's interrupt flag set again.
     *
     * @return whether the stream ended in time
     */
    static boolean awaitEnd(ResultCallback.Adapter<?> stream, Duration timeout, String action) throws EngineException {
        try {
            return stream.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(action + " was interrupted", e);
        }
    }

    /** Throws the transport's failure, if the stream ended with one. */
    void rethrowFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    /** The engine's words for an item that says something went wrong. */
    private static String errorOf(ResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            return item.getErrorDetail().getMessage().strip();
        }
        return item.getError() != null ? item.getError().strip() : "the engine reported an error";
    }
}
