package dev.tether.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to what never reaches Javalin (a malformed request line, a header too large):
 * Jetty's own error page, with the same security headers as every other answer, so that no page of
 * this origin can be framed or sniffed.
 */
final class SecureErrorPages extends ErrorHandler {
    SecureErrorPages() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Gate.SECURITY_HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
        return super.handle(request, response, callback);
    }
}
