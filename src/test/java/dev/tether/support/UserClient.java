package dev.tether.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One person's HTTP client for a server that requires login: carries their login cookie or API
 * token, and the Origin a browser on Tether's own page would send.
 */
public final class UserClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String baseUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private UserClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static UserClient anonymous(String baseUrl) {
        return new UserClient(baseUrl);
    }

    /** Logs in through the API and keeps the cookie. */
    public static UserClient login(String baseUrl, String name, String password) {
        UserClient c = new UserClient(baseUrl).header("Origin", baseUrl);
        HttpResponse<String> r = c.raw("POST", "/api/auth/login", Map.of("name", name, "password", password));
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + name + " answered " + r.statusCode() + ": " + r.body());
        }
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.header("Cookie", cookie.substring(0, cookie.indexOf(';')));
    }

    public static UserClient withToken(String baseUrl, String secret) {
        return new UserClient(baseUrl).header("Authorization", "Bearer " + secret);
    }

    public UserClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public TestServer.Response get(String path) {
        return response(raw("GET", path, null));
    }

    public TestServer.Response post(String path, Map<String, ?> body) {
        return response(raw("POST", path, body));
    }

    public HttpResponse<String> raw(String method, String path, Map<String, ?> body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, json(body)));
    }

    /** {@code body} as JSON, or no body at all for {@code null}. */
    private static HttpRequest.BodyPublisher json(Map<String, ?> body) {
        if (body == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest.Builder builder) {
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TestServer.Response response(HttpResponse<String> r) {
        return new TestServer.Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
