package dev.redock.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory, up to a limit: a body that says it is larger ({@code Content-Length}) is refused
 * before any of it is read, and one that grows past the limit is cut off there, its exchange cancelled. A registry
 * answering with gigabytes (a broken token endpoint, a hostile server) costs at most the limit.
 *
 * <p>The JDK's own {@code BodySubscribers.ofByteArray()} reads without a bound; this one is read, like it, as the
 * bytes arrive, so the whole exchange (headers and body) completes one future that a deadline can cancel.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was larger than the limit; nothing more of it was read. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("body larger than " + limit + " bytes");
        }
    }

    /** The connection failed after the answer began: the registry broke off its answer. */
    static final class BrokenOffException extends IOException {
        BrokenOffException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final long limit;
    private final long declared;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(long limit, long declared) {
        this.limit = limit;
        this.declared = declared;
    }

    /** Reads bodies of at most {@code limit} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new LimitedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declared > limit) {
            tooLarge();
            return;
        }
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > limit) {
                tooLarge();
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    private void tooLarge() {
        subscription.cancel();
        body.completeExceptionally(new TooLargeException(limit));
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(new BrokenOffException(error));
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
