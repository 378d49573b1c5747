package dev.tether.model.openai;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Content;

/**
 * BENCHMARK VARIANT of src/main's Exchange (see this directory's ProviderHttp): one request on
 * Jetty's HttpClient. The body is Jetty's Content.Source read as a blocking stream on the
 * caller's thread; read to its end, the connection goes back to Jetty's pool; an abort aborts the
 * request, which closes its connection.
 */
final class Exchange implements AutoCloseable {
    static final int DRAIN_MAX_BYTES = 64 << 10;

    private final Request request;
    private volatile boolean aborted;
    private Response response;
    private InputStream body;
    private boolean finished;

    Exchange(Request request) {
        this.request = request;
    }

    Exchange answered(Response response, Content.Source source) {
        this.response = response;
        InputStream in = source == null ? InputStream.nullInputStream() : Content.Source.asInputStream(source);
        this.body = new InputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                finished |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                finished |= n < 0;
                return n;
            }
        };
        return this;
    }

    boolean responseStarted() {
        return response != null;
    }

    int status() {
        return response.getStatus();
    }

    String header(String name, String fallback) {
        String value = response.getHeaders().get(name);
        return value == null ? fallback : value;
    }

    InputStream body() {
        return body;
    }

    boolean isAborted() {
        return aborted;
    }

    void abort() {
        aborted = true;
        request.abort(new IOException("aborted"));
    }

    /** Reads what is left (the last chunk after [DONE]) so Jetty can pool the connection. */
    void reuse() {
        try {
            byte[] scratch = new byte[1024];
            int total = 0;
            while (!finished && total < DRAIN_MAX_BYTES) {
                int n = body.read(scratch);
                if (n > 0) {
                    total += n;
                }
            }
        } catch (IOException e) {
            abort();
            return;
        }
        if (!finished) {
            abort();
        }
    }

    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }
}
