package dev.tether.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection of the load client, on raw sockets: a request and its whole
 * answer, or an SSE stream read event by event without building more strings than the caller asks
 * for. Lean on purpose: the load client must not be the bottleneck.
 *
 * <p>Threading: confined to one (virtual) thread.
 */
final class HttpConn implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean closeAfter;
    private boolean crlfPending;

    private HttpConn(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
        this.host = "127.0.0.1:" + port;
    }

    static HttpConn open(int port, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        s.setSoTimeout(readTimeoutMs);
        return new HttpConn(s, port);
    }

    boolean reusable() {
        return !closeAfter && !socket.isClosed();
    }

    /** A request with a JSON body (POST) or none (GET). */
    void send(String method, String target, String json, String extraHeader) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(160 + body.length);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (json != null) {
            sb.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        if (extraHeader != null) {
            sb.append(extraHeader).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        out.write(all);
        out.flush();
    }

    /** Reads the status line and headers; returns the status. */
    int readHead() throws IOException {
        crlfPending = false;
        String line = readLine(in);
        if (line == null) {
            throw new IOException("connection closed before the answer");
        }
        status = Integer.parseInt(line.substring(9, 12));
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                contentLength = Long.parseLong(h.substring(15).trim());
            } else if (h.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                chunked = h.toLowerCase().contains("chunked");
            } else if (h.regionMatches(true, 0, "connection:", 0, 11)) {
                closeAfter = h.toLowerCase().contains("close");
            }
        }
        return status;
    }

    /** The whole body of the answer whose head was just read. */
    String readBody() throws IOException {
        if (chunked) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n = chunkSize(); n > 0; n = chunkSize()) {
                b.write(in.readNBytes(n));
                readLine(in);
            }
            readLine(in);
            return b.toString(StandardCharsets.UTF_8);
        }
        if (contentLength >= 0) {
            return new String(in.readNBytes((int) contentLength), StandardCharsets.UTF_8);
        }
        closeAfter = true;
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A whole exchange; the answer's body, with the status in {@link #status()}. */
    String exchange(String method, String target, String json) throws IOException {
        send(method, target, json, null);
        readHead();
        return readBody();
    }

    int status() {
        return status;
    }

    /** Receives SSE events: the event name and its data as bytes {@code [from, to)} of {@code buf}. */
    interface SseListener {
        /** Returns false to stop reading (the stream is over for the caller). */
        boolean event(String name, byte[] buf, int from, int to) throws IOException;
    }

    /**
     * Reads the SSE body of the answer whose head was just read until the listener says stop or the
     * body ends. Returns true if the listener stopped it (the body's end is then consumed if it
     * follows at once, so the connection can be reused).
     */
    boolean readSse(SseListener listener) throws IOException {
        byte[] acc = new byte[4096];
        int len = 0;
        int pos = 0;
        String name = null;
        int dataFrom = -1;
        int dataTo = -1;
        while (true) {
            int n = chunked ? chunkSize() : 4096;
            if (n <= 0) {
                if (chunked) {
                    readLine(in);
                }
                return false;
            }
            int keep = dataFrom >= 0 ? dataFrom : pos; // the first byte still needed
            if (keep > 0) {
                System.arraycopy(acc, keep, acc, 0, len - keep);
                len -= keep;
                pos -= keep;
                if (dataFrom >= 0) {
                    dataFrom -= keep;
                    dataTo -= keep;
                }
            }
            if (len + n > acc.length) {
                acc = Arrays.copyOf(acc, Math.max(acc.length * 2, len + n));
            }
            int got = chunked ? in.readNBytes(acc, len, n) : in.read(acc, len, n);
            if (got <= 0) {
                closeAfter = true;
                return false;
            }
            len += got;
            // The CRLF after the chunk is read with the next chunk's size: Jetty sends it only then,
            // and waiting for it here would hold this chunk's events until the next write.
            crlfPending = chunked;
            int nl;
            while ((nl = indexOf(acc, (byte) '\n', pos, len)) >= 0) {
                int lineEnd = nl > pos && acc[nl - 1] == '\r' ? nl - 1 : nl;
                if (lineEnd == pos) {
                    if (name != null || dataFrom >= 0) {
                        boolean go = listener.event(name == null ? "message" : name, acc,
                                Math.max(dataFrom, 0), Math.max(dataTo, 0));
                        name = null;
                        dataFrom = -1;
                        pos = nl + 1;
                        if (!go) {
                            finishBody(acc, pos, len);
                            return true;
                        }
                        continue;
                    }
                } else if (startsWith(acc, pos, "event: ")) {
                    name = new String(acc, pos + 7, lineEnd - pos - 7, StandardCharsets.US_ASCII);
                } else if (startsWith(acc, pos, "data: ")) {
                    dataFrom = pos + 6;
                    dataTo = lineEnd;
                }
                pos = nl + 1;
            }
        }
    }

    /** After the last event: consume the terminating chunk if it is already here or comes at once. */
    private void finishBody(byte[] acc, int pos, int len) throws IOException {
        if (!chunked || pos < len) {
            closeAfter = true; // bytes we did not expect; do not reuse
            return;
        }
        int n = chunkSize();
        if (n == 0) {
            readLine(in);
        } else {
            closeAfter = true;
        }
    }

    private int chunkSize() throws IOException {
        if (crlfPending) {
            crlfPending = false;
            readLine(in);
        }
        String line = readLine(in);
        if (line == null) {
            closeAfter = true;
            return -1;
        }
        int semi = line.indexOf(';');
        return Integer.parseInt((semi >= 0 ? line.substring(0, semi) : line).trim(), 16);
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] a, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (a[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** One CRLF- or LF-terminated line (ISO-8859-1); null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        if (b == -1 && sb.isEmpty()) {
            return null;
        }
        return sb.toString();
    }

    /** The string value of {@code "key":"..."} in flat JSON (no escapes expected), or null. */
    static String jsonString(String json, String key) {
        String k = "\"" + key + "\":\"";
        int i = json.indexOf(k);
        if (i < 0) {
            return null;
        }
        int from = i + k.length();
        return json.substring(from, json.indexOf('"', from));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
