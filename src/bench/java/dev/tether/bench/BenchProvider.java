package dev.tether.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A lean OpenAI-compatible streaming provider for the benchmark: raw HTTP/1.1 on virtual threads,
 * no JSON library, one write per token. Unlike the test suite's FakeOpenAiServer it records nothing
 * and has no faults, so it stays cheap at 100,000 tokens/s.
 *
 * <p>The reply is chosen by the request's model id, {@code bench-<tokens>-<intervalMicros>-<firstMs>}:
 * headers and the role chunk at once, the first token after {@code firstMs}, then one token every
 * {@code intervalMicros} on an absolute schedule (no drift; written by the {@link TokenPacer}), a
 * finish chunk, usage and {@code [DONE]}; with interval 0, all tokens at once after {@code firstMs}.
 * Token {@code i} is the text {@code " <i>@<epoch micros when written>"}, so a client in another
 * process can compute each token's relay delay from the shared wall clock.
 *
 * <p>Runs in its own process ({@code Bench provider}) so its CPU is measured apart from the server's
 * and the load client's. Threading: one platform accept thread, one virtual thread per connection (it
 * reads requests and waits while the pacer writes a paced stream), one pacer thread.
 */
final class BenchProvider implements AutoCloseable {
    private final ServerSocket listener;
    private final TokenPacer pacer = new TokenPacer();

    BenchProvider(int port) throws IOException {
        listener = new ServerSocket(port, 16_384, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("provider-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@code Bench provider [port]}: serves until killed; prints its port first. */
    static void main(String[] args) throws Exception {
        BenchProvider p = new BenchProvider(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("provider listening on " + p.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static String model(int tokens, long intervalMicros, long firstMs) {
        return "bench-" + tokens + "-" + intervalMicros + "-" + firstMs;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            while (true) {
                Request r = Request.read(in);
                if (r == null) {
                    return;
                }
                if (r.path.endsWith("/models")) {
                    plain(out, "{\"object\":\"list\",\"data\":[]}");
                } else {
                    stream(out, r.model);
                }
            }
        } catch (IOException | RuntimeException e) {
            // client went away
        }
    }

    private static void plain(OutputStream out, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "{\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":";

    private void stream(OutputStream out, String model) throws IOException {
        String[] p = model.split("-");
        int tokens = Integer.parseInt(p[1]);
        long intervalNanos = Long.parseLong(p[2]) * 1000;
        long firstNanos = Long.parseLong(p[3]) * 1_000_000;
        long t0 = System.nanoTime();
        out.write(HEAD);
        event(out, PREFIX + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        out.flush();
        if (intervalNanos > 0 && tokens > 0) {
            pacer.pace(out, tokens, t0 + firstNanos, intervalNanos).join();
            return;
        }
        waitUntil(t0 + firstNanos);
        for (int i = 0; i < tokens; i++) {
            event(out, tokenData(i));
            if (i == 0 || i % 64 == 63) {
                out.flush();
            }
        }
        close(out, tokens);
    }

    /** Token {@code i}'s chunk: its text says when it was written, so the client can measure the relay. */
    static String tokenData(int i) {
        return PREFIX + "{\"content\":\" " + i + "@" + epochMicros() + "\"},\"finish_reason\":null}]}";
    }

    /** The chunks after the last token: finish, usage, {@code [DONE]}, and the end of the chunked body. */
    static void close(OutputStream out, int tokens) throws IOException {
        event(out, PREFIX + "{},\"finish_reason\":\"stop\"}]}");
        event(out, "{\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,"
                + "\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (tokens + 1) + "}}");
        event(out, "[DONE]");
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sleeps until {@code due}. */
    private static void waitUntil(long due) {
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static void event(OutputStream out, CharSequence data) throws IOException {
        byte[] b = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.write('\r');
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pacer.close();
    }

    /** The parts of a request the provider needs. */
    private record Request(String path, String model) {
        static Request read(InputStream in) throws IOException {
            String line = HttpConn.readLine(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            String path = line.split(" ")[1];
            int length = 0;
            for (String h = HttpConn.readLine(in); h != null && !h.isEmpty(); h = HttpConn.readLine(in)) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Request(path, HttpConn.jsonString(body, "model"));
        }
    }
}
