package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;

/**
 * The virtual clients' JSON door to the server. Every answer is judged here: a 5xx, a status the
 * operation does not allow, or a failed connection while the server was meant to be up is a
 * violation. A request that overlapped a deliberate kill may fail; that is recorded, not judged.
 *
 * <p>Threading: one shared instance; {@link HttpClient} is thread-safe.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Target target;
    private final Ledger ledger;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    Http(Target target, Ledger ledger) {
        this.target = target;
        this.ledger = ledger;
    }

    /** One answer; {@code status} -1 when there was none (connection failed or timed out). */
    record Answer(int status, JsonNode json, String body, long sentAt, long answeredAt, boolean acrossKill) {
        boolean is(int s) {
            return status == s;
        }

        boolean success() {
            return status >= 200 && status < 300;
        }

        String code() {
            return json == null ? "" : json.path("code").asText();
        }

        String text(String field) {
            return json == null ? null : json.path(field).isTextual() ? json.path(field).asText() : null;
        }
    }

    HttpClient client() {
        return client;
    }

    Answer post(String op, String path, Object body, Set<Integer> allowed) {
        String json;
        try {
            json = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(op, path, b -> b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), allowed);
    }

    Answer get(String op, String pathAndQuery, Set<Integer> allowed) {
        return send(op, pathAndQuery, HttpRequest.Builder::GET, allowed);
    }

    /** A GET to one server in particular (where several instances run). */
    Answer getFrom(String baseUrl, String op, String pathAndQuery, Set<Integer> allowed) {
        return send(baseUrl, op, pathAndQuery, HttpRequest.Builder::GET, allowed);
    }

    private Answer send(String op, String path, java.util.function.UnaryOperator<HttpRequest.Builder> method,
                        Set<Integer> allowed) {
        return send(null, op, path, method, allowed);
    }

    /** {@code baseUrl} null: the target's (any of its servers). */
    private Answer send(String baseUrl, String op, String path,
                        java.util.function.UnaryOperator<HttpRequest.Builder> method, Set<Integer> allowed) {
        ledger.request();
        int epoch = target.epoch();
        boolean upBefore = target.isUp();
        long sentAt = Ledger.now();
        int status;
        String body = "";
        String failure = null;
        try {
            HttpRequest request = method.apply(HttpRequest.newBuilder(URI.create((baseUrl == null ? target.baseUrl()
                            : baseUrl) + path))
                    .timeout(REQUEST_TIMEOUT)).build();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            body = r.body();
        } catch (HttpTimeoutException e) {
            status = -1;
            failure = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } catch (IOException e) {
            status = -1;
            failure = "connection failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
            failure = "interrupted";
        }
        long answeredAt = Ledger.now();
        boolean acrossKill = !upBefore || !target.isUp() || target.epoch() != epoch;
        Answer answer = new Answer(status, parse(body), body, sentAt, answeredAt, acrossKill);
        judge(op, path, answer, failure, allowed);
        return answer;
    }

    private void judge(String op, String path, Answer a, String failure, Set<Integer> allowed) {
        if (a.status() < 0) {
            if (!a.acrossKill() && !Thread.currentThread().isInterrupted()) {
                ledger.violation(op + " " + path + ": " + failure + " while the server was up");
            }
        } else if (a.status() >= 500) {
            ledger.violation(op + " " + path + " answered " + a.status() + ": " + a.body());
        } else if (!allowed.contains(a.status())) {
            ledger.violation(op + " " + path + " answered " + a.status() + " (allowed " + allowed + "): " + a.body());
        } else if (!a.success() && (a.json() == null || !a.json().path("error").isTextual()
                || !a.json().path("code").isTextual())) {
            ledger.violation(op + " " + path + " answered " + a.status() + " without a JSON error: " + a.body());
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
