package dev.resilient.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** The service answered with a status other than 200. */
public class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Duration retryAfter;

    HttpStatusException(int status, String body, Duration retryAfter) {
        super("HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The status answered, as in 503. */
    public int status() {
        return status;
    }

    /** The wait the server asked for in its {@code Retry-After} header, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static HttpStatusException of(int status, String body) {
        return of(new Reply(status, body, null));
    }

    /** The failure that {@code reply}, an answer other than 200, stands for. */
    static HttpStatusException of(Reply reply) {
        int status = reply.status();
        return status >= 400 && status < 500 ? new ClientError(status, reply.body()) : new HttpStatusException(status, reply.body(), reply.retryAfter());
    }

    /** A 4xx answer: the request was wrong, so sending it again would not help. */
    public static final class ClientError extends HttpStatusException {
        private static final long serialVersionUID = 1L;

        ClientError(int status, String body) {
            super(status, body, null);
        }
    }
}
