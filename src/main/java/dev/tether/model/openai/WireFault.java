package dev.tether.model.openai;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A failure from Jetty's client, told in the words {@link ProviderFaults} and the user read: Jetty
 * names its parser's complaints and its connections ({@code HttpConnectionOverHTTP@1a2b...}), which
 * say nothing to someone setting up a provider. The exception types {@link ProviderFaults} sorts by
 * (connect refused or timed out, unknown host, TLS, the proxy's failures) come out as those types.
 */
final class WireFault {

    private WireFault() {}

    /**
     * {@code failure} as an {@link IOException}. {@code connected} says the request reached a
     * connection (so a timeout is not the connect timeout); {@code chunked} says the response's
     * body was chunked (so the parser's "illegal character" is in a chunk's size line or end).
     */
    static IOException of(Throwable failure, Route route, boolean connected, boolean chunked) {
        Route.ProxyFailure proxy = route.proxyFailure(failure);
        if (proxy != null) {
            return proxy;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof ConnectException || t instanceof UnknownHostException) {
                return (IOException) t;
            }
            if (t instanceof UnresolvedAddressException) {
                return new UnknownHostException("the provider's host name did not resolve");
            }
            if (t instanceof SocketTimeoutException && !connected) {
                return new HttpConnectTimeoutException("connecting to the provider timed out");
            }
            if (t instanceof HttpException bad) {
                return badMessage(bad, chunked, failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return endedEarly(chunked);
            }
        }
        if (failure instanceof IOException io) {
            return io;
        }
        return new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Jetty reports any fault in a body's framing after the head as an early end of the stream, so
     * in a chunked body a broken chunk line and a connection closed too soon look the same.
     */
    private static EOFException endedEarly(boolean chunked) {
        return new EOFException(chunked
                ? "the provider closed the connection, or broke the chunked framing (a bad chunk size or chunk end), "
                        + "before the end of its answer"
                : "the provider closed the connection before the end of its answer");
    }

    private static IOException badMessage(HttpException bad, boolean chunked, Throwable failure) {
        String reason = bad.getReason() == null ? "" : bad.getReason();
        String what;
        if (bad.getCode() == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 || reason.contains("Too Large")) {
            what = "the provider's response head is larger than " + ProviderHttp.MAX_HEAD_BYTES + " bytes";
        } else if (reason.equals("Multiple Content-Lengths")) {
            what = "the provider sent conflicting Content-Length values";
        } else if (reason.startsWith("Invalid Content-Length") || hasCause(failure, ArithmeticException.class)) {
            // the parser reads the other numbers of a head digit by digit: only Content-Length overflows
            what = "the provider sent a bad Content-Length";
        } else if (reason.contains("Transfer-Encoding")) {
            what = "the provider sent a Transfer-Encoding Tether does not decode (" + reason + ")";
        } else if (reason.equals("Early EOF")) {
            return endedEarly(chunked);
        } else if (chunked && reason.startsWith("Illegal character")) {
            what = "the provider sent a bad chunk size or chunk end in its chunked body (" + reason + ")";
        } else {
            what = "the provider's answer is not valid HTTP/1.1 (" + reason + ")";
        }
        return new IOException(what, failure);
    }
}
