package dev.resilient.examples;

import java.io.IOException;

/** The service answered with a status other than 200. */
public class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    HttpStatusException(int status, String body) {
        super("HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
        this.status = status;
    }

    /** The status answered, as in 503. */
    public int status() {
        return status;
    }

    static HttpStatusException of(int status, String body) {
        return status >= 400 && status < 500 ? new ClientError(status, body) : new HttpStatusException(status, body);
    }

    /** A 4xx answer: the request was wrong, so sending it again would not help. */
    public static final class ClientError extends HttpStatusException {
        private static final long serialVersionUID = 1L;

        ClientError(int status, String body) {
            super(status, body);
        }
    }
}
