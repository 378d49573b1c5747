package dev.tether.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A small HTTP proxy on 127.0.0.1 for tests: {@code CONNECT host:port} opens a tunnel (200, then
 * bytes both ways), and a request in absolute form ({@code POST http://host:port/path}) is sent
 * on to that host with {@code Proxy-Authorization} removed, after which the two connections are
 * joined as they are (later requests on the same connection pass through unread). With
 * {@link #requireCredentials}, a request without those {@code Basic} credentials gets a 407 and
 * the connection is closed.
 *
 * <p>It records the head of the first request on each connection, as received.
 *
 * <p>Threading: one virtual thread per connection and one per direction of a joined pair; every
 * method may be called from any thread.
 */
public final class TestProxy implements AutoCloseable {

    /** The first request head of one connection: its request line and header lines. */
    public record Seen(String requestLine, List<String> headerLines) {
        public String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst().orElse(null);
        }
    }

    private final ServerSocket listener;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile String credentials;

    private TestProxy() throws IOException {
        listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    }

    public static TestProxy start() {
        try {
            TestProxy proxy = new TestProxy();
            Thread.ofPlatform().daemon().name("test-proxy-accept").start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, or with {@code user:password@} when given. */
    public String url(String userInfo) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + listener.getLocalPort();
    }

    public void requireCredentials(String user, String password) {
        credentials = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(TestProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                closeQuietly(client);
                return;
            }
            List<String> lines = head.lines().toList();
            Seen request = new Seen(lines.getFirst(), lines.subList(1, lines.size()).stream()
                    .filter(l -> !l.isEmpty()).toList());
            seen.add(request);
            String required = credentials;
            if (required != null && !required.equals(request.header("Proxy-Authorization"))) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                closeQuietly(client);
                return;
            }
            String[] parts = request.requestLine().split(" ");
            if (parts[0].equals("CONNECT")) {
                Socket upstream = connect(parts[1]);
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                join(client, upstream);
            } else {
                URI target = URI.create(parts[1]);
                Socket upstream = connect(target.getHost() + ":" + target.getPort());
                StringBuilder forwarded = new StringBuilder(request.requestLine()).append("\r\n");
                request.headerLines().stream().filter(l -> !l.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:"))
                        .forEach(l -> forwarded.append(l).append("\r\n"));
                upstream.getOutputStream().write(forwarded.append("\r\n").toString()
                        .getBytes(StandardCharsets.ISO_8859_1));
                join(client, upstream);
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private Socket connect(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        Socket upstream = new Socket();
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        return upstream;
    }

    /** Bytes both ways until either side ends; then both sockets close. */
    private static void join(Socket a, Socket b) {
        Thread.ofVirtual().start(() -> pipe(a, b));
        pipe(b, a);
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** The head up to its blank line, read a byte at a time so nothing after it is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
