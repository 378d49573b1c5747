package dev.tether.model.openai;

import java.util.Map;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.HttpExchange;
import org.eclipse.jetty.client.transport.SendFailure;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;

/**
 * Jetty's HTTP/1.1 transport, with one addition: each request notes which connection carried it,
 * whether that connection had carried requests before, and how many bytes it had received by then
 * ({@link Carrier}). That tells a request that went out on a pooled connection the provider had
 * already closed (it failed, and not one byte of an answer came back, so the provider never saw it)
 * from one the provider began to answer, which must never be sent twice. Jetty itself does not
 * retry a failed request.
 *
 * <p>Threading: {@link Carrier#unanswered} may be read from any thread once the request failed.
 */
final class ProviderTransport extends HttpClientTransportOverHTTP {

    private static final String CARRIER = Carrier.class.getName();

    /** The connection a request went out on, as it was at that moment. */
    record Carrier(HttpConnectionOverHTTP connection, boolean reused, long bytesInBefore) {
        /** Whether the provider closed a reused connection under the request without answering it. */
        boolean unanswered() {
            return reused && connection.getBytesIn() == bytesInBefore;
        }
    }

    ProviderTransport(ClientConnector connector) {
        super(connector);
    }

    /** Where {@code request} went out, or {@code null} if it never reached a connection. */
    static Carrier carrier(Request request) {
        return (Carrier) request.getAttributes().get(CARRIER);
    }

    @Override
    public org.eclipse.jetty.io.Connection newConnection(EndPoint endPoint, Map<String, Object> context) {
        return new NotingConnection(endPoint, context);
    }

    private static final class NotingConnection extends HttpConnectionOverHTTP {
        NotingConnection(EndPoint endPoint, Map<String, Object> context) {
            super(endPoint, context);
        }

        @Override
        public SendFailure send(HttpExchange exchange) {
            exchange.getRequest().attribute(CARRIER, new Carrier(this, getMessagesOut() > 0, getBytesIn()));
            return super.send(exchange);
        }
    }
}
