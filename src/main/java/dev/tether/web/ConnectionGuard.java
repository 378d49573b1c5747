package dev.tether.web;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;

/**
 * Against slow and numerous connections (slowloris): a connection must complete its first request's
 * head within {@code headerDeadline} (the idle timeout alone let a client trickle a header line
 * every few seconds for ever), and one address may hold at most {@code perAddress} connections.
 * Peers that speak for many clients ({@code exempt}: the trusted proxies) are not counted per
 * address; the total is bounded separately (Jetty's {@code NetworkConnectionLimit}).
 *
 * <p>Threading: Jetty calls the listener from its selector and closing threads; {@code open} is a
 * concurrent map whose counts change only inside {@code compute}.
 */
final class ConnectionGuard implements Connection.Listener {
    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final Connector connector;
    private final int perAddress;
    private final Duration headerDeadline;
    private final Predicate<String> exempt;

    ConnectionGuard(Connector connector, int perAddress, Duration headerDeadline, Predicate<String> exempt) {
        this.connector = connector;
        this.perAddress = perAddress;
        this.headerDeadline = headerDeadline;
        this.exempt = exempt;
    }

    @Override
    public void onOpened(Connection connection) {
        String address = address(connection.getEndPoint().getRemoteSocketAddress());
        if (address != null && !exempt.test(address)) {
            int now = open.merge(address, 1, Integer::sum);
            if (now > perAddress) {
                connection.getEndPoint().close(); // onClosed gives the count back
                return;
            }
        }
        connector.getScheduler().schedule(() -> {
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, headerDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        String address = address(connection.getEndPoint().getRemoteSocketAddress());
        if (address != null && !exempt.test(address)) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections currently counted for {@code address}. */
    int openFrom(String address) {
        return open.getOrDefault(address, 0);
    }

    private static String address(SocketAddress socket) {
        return socket instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }
}
