package dev.tether.model.openai;

import dev.tether.config.TetherConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * How a connection reaches the provider: straight, or through an HTTP proxy. To an https provider
 * the proxy carries a {@code CONNECT} tunnel, and TLS runs inside it end to end with the provider,
 * whose certificate is checked against the provider's host name; the proxy sees only the host and
 * port. To an http provider the requests go to the proxy in absolute form (RFC 9112 3.2.2) with
 * {@code Proxy-Authorization}, on connections kept alive like direct ones.
 *
 * <p>The proxy's credentials go only into those header lines, never into a message or a log.
 *
 * <p>Threading: immutable; {@link #open} runs on the calling thread.
 */
final class Route {

    /** The proxy could not be reached, or would not open a tunnel to the provider. */
    static final class ProxyFailure extends IOException {
        ProxyFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String host;
    private final int port;
    private final boolean tls;
    private final String authority; // host[:port] as the base URL wrote it: the Host header
    private final Optional<TetherConfig.Proxy> proxy;
    private final Duration connectTimeout;
    private final SSLSocketFactory tlsSockets;

    Route(URI base, Optional<TetherConfig.Proxy> proxy, Duration connectTimeout, SSLSocketFactory tlsSockets) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("the provider URL must be http:// or https:// with a host: " + base);
        }
        this.host = base.getHost();
        this.tls = scheme.equals("https");
        this.port = base.getPort() >= 0 ? base.getPort() : tls ? 443 : 80;
        this.authority = base.getPort() >= 0 ? host + ":" + port : host;
        this.proxy = proxy;
        this.connectTimeout = connectTimeout;
        this.tlsSockets = tlsSockets;
    }

    /** A new connection to the provider, through the tunnel and TLS handshake when there are any. */
    Connection open() throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            if (proxy.isPresent()) {
                connectToProxy(plain, proxy.get());
                if (tls) {
                    tunnel(plain, proxy.get());
                }
            } else {
                connect(plain, new InetSocketAddress(host, port), host + ":" + port);
            }
            return new Connection(tls ? handshake(plain) : plain);
        } catch (IOException | RuntimeException e) {
            try {
                plain.close();
            } catch (IOException ignored) {
                // already failing; the first exception says why
            }
            throw e;
        }
    }

    /** Appends the request line's target: the path, or the whole URL when a proxy forwards it. */
    void appendTarget(StringBuilder sb, String path) {
        if (proxy.isPresent() && !tls) {
            sb.append("http://").append(authority);
        }
        sb.append(path);
    }

    /** Appends the Host field, and {@code Proxy-Authorization} when the proxy reads these requests. */
    void appendRouting(StringBuilder sb) {
        sb.append("Host: ").append(authority).append("\r\n");
        if (proxy.isPresent() && !tls) {
            proxy.get().authorization().ifPresent(a -> sb.append("Proxy-Authorization: ").append(a).append("\r\n"));
        }
    }

    private void connectToProxy(Socket plain, TetherConfig.Proxy p) throws IOException {
        try {
            connect(plain, new InetSocketAddress(p.host(), p.port()), "the proxy " + p);
        } catch (IOException e) {
            throw new ProxyFailure("could not connect to the proxy " + p + ": " + describe(e), e);
        }
    }

    private void connect(Socket plain, InetSocketAddress to, String what) throws IOException {
        try {
            plain.connect(to, timeoutMillis());
        } catch (SocketTimeoutException e) {
            throw new HttpConnectTimeoutException("connecting to " + what + " timed out");
        }
    }

    /**
     * Asks the proxy for a tunnel to the provider and reads its answer. Nothing may follow a 2xx
     * answer before the client speaks, so a read that returns more than the head is an error rather
     * than bytes that TLS would miss.
     */
    private void tunnel(Socket plain, TetherConfig.Proxy p) throws IOException {
        String target = host + ":" + port;
        StringBuilder request = new StringBuilder(128).append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target).append("\r\n");
        p.authorization().ifPresent(a -> request.append("Proxy-Authorization: ").append(a).append("\r\n"));
        plain.setSoTimeout(timeoutMillis());
        OutputStream out = plain.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ResponseHead answer;
        try {
            answer = ResponseHead.parse(connectAnswer(plain.getInputStream(), p));
        } catch (SocketTimeoutException e) {
            throw new ProxyFailure("the proxy " + p + " did not answer CONNECT within " + timeoutMillis() + " ms", e);
        }
        plain.setSoTimeout(0);
        int status = answer.status();
        if (status / 100 != 2) {
            throw new ProxyFailure("the proxy " + p + " refused a tunnel to " + target + " (HTTP " + status
                    + (status == 407 ? p.authorization().isPresent()
                            ? ": it refused the credentials in the proxy URL)"
                            : ": it wants credentials, http://user:password@host:port in the proxy URL)"
                    : ")"), null);
        }
    }

    private static String connectAnswer(InputStream in, TetherConfig.Proxy p) throws IOException {
        byte[] buffer = new byte[1024];
        int length = 0;
        while (true) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new ProxyFailure("the proxy " + p + " closed the connection instead of answering CONNECT", null);
            }
            length += n;
            String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                boolean tunnelled = text.length() > 9 && text.charAt(9) == '2'; // "HTTP/1.x 2.."
                if (tunnelled && end + 4 != length) {
                    throw new ProxyFailure("the proxy " + p + " sent bytes after its answer to CONNECT", null);
                }
                return text.substring(0, end + 4);
            }
            if (length == buffer.length) {
                if (length >= ProviderHttp.MAX_HEAD_BYTES) {
                    throw new ProxyFailure("the proxy's answer to CONNECT is larger than "
                            + ProviderHttp.MAX_HEAD_BYTES + " bytes", null);
                }
                buffer = Arrays.copyOf(buffer, length * 2);
            }
        }
    }

    private Socket handshake(Socket plain) throws IOException {
        SSLSocket ssl = (SSLSocket) tlsSockets.createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(timeoutMillis());
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        return ssl;
    }

    private int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
