package dev.tether.model.openai;

import dev.tether.config.TetherConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.client.Authentication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * How a connection reaches the provider: straight, or through an HTTP proxy. Jetty's {@link
 * HttpProxy} does the work: to an https provider it opens a {@code CONNECT} tunnel and runs TLS
 * inside it end to end with the provider, whose certificate is checked against the provider's host
 * name, so the proxy sees only the host and port; to an http provider it sends requests in absolute
 * form (RFC 9112 3.2.2). Here: the proxy's credentials, and the proxy's failures told as such.
 *
 * <p>The credentials are an {@link Authentication.Result} for the proxy's own URI, which Jetty adds
 * to the {@code CONNECT} request and to requests the proxy forwards, never to a tunnelled request
 * (where the provider would see them); they go into no message and no log.
 *
 * <p>Threading: immutable once {@link #configure} has run, before the client starts.
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
    private final Optional<TetherConfig.Proxy> proxy;

    Route(URI base, Optional<TetherConfig.Proxy> proxy) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("the provider URL must be http:// or https:// with a host: " + base);
        }
        this.host = base.getHost();
        this.port = base.getPort() >= 0 ? base.getPort() : scheme.equals("https") ? 443 : 80;
        this.proxy = proxy;
    }

    /** Routes the client's requests through the proxy, with its credentials, when there is one. */
    void configure(HttpClient client) {
        proxy.ifPresent(p -> {
            HttpProxy jettyProxy = new HttpProxy(new Origin.Address(p.host(), p.port()), false);
            client.getProxyConfiguration().addProxy(jettyProxy);
            p.authorization().ifPresent(value -> client.getAuthenticationStore()
                    .addAuthenticationResult(new ProxyCredentials(jettyProxy.getURI(), value)));
        });
    }

    /**
     * The proxy's failure in words, or {@code null} when {@code failure} is not the proxy's: with a
     * proxy, every connection is first a connection to it, so failing to connect is failing to reach
     * the proxy; a {@code CONNECT} answered with anything but 200 is a refused tunnel.
     */
    ProxyFailure proxyFailure(Throwable failure) {
        if (proxy.isEmpty()) {
            return null;
        }
        TetherConfig.Proxy p = proxy.get();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException refused && refused.getResponse() != null
                    && HttpMethod.CONNECT.is(refused.getResponse().getRequest().getMethod())) {
                return refusedTunnel(p, refused.getResponse(), refused);
            }
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return new ProxyFailure("could not connect to the proxy " + p + ": " + describe(t), failure);
            }
        }
        return null;
    }

    private ProxyFailure refusedTunnel(TetherConfig.Proxy p, Response answer, Throwable cause) {
        int status = answer.getStatus();
        return new ProxyFailure("the proxy " + p + " refused a tunnel to " + host + ":" + port + " (HTTP " + status
                + (status == 407 ? p.authorization().isPresent()
                        ? ": it refused the credentials in the proxy URL)"
                        : ": it wants credentials, http://user:password@host:port in the proxy URL)"
                : ")"), cause);
    }

    private static String describe(Throwable t) {
        if (t instanceof ConnectException && (t.getMessage() == null || t.getMessage().isBlank()
                || t.getMessage().equalsIgnoreCase("Connection refused"))) {
            return "connection refused";
        }
        if (t instanceof SocketTimeoutException) {
            return "timed out";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The {@code Proxy-Authorization} value from the proxy URL, for requests to the proxy only. */
    private record ProxyCredentials(URI proxyUri, String authorization) implements Authentication.Result {
        @Override
        public URI getURI() {
            return proxyUri;
        }

        @Override
        public void apply(Request request) {
            request.headers(h -> h.put(HttpHeader.PROXY_AUTHORIZATION, authorization));
        }

        @Override
        public String toString() {
            return "proxy credentials for " + proxyUri; // never the value
        }
    }
}
