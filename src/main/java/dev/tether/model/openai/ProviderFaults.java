package dev.tether.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.model.ModelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * Turns what went wrong with a provider into a {@link ModelException} a person can act on: what
 * happened (with the provider's own words when it sent any) and which setting to look at.
 *
 * <p>Types sent as {@code apperror.type}: {@code auth}, {@code model_not_found}, {@code rate_limited},
 * {@code bad_request}, {@code provider_error}, {@code connection}, {@code timeout},
 * {@code bad_response}.
 */
final class ProviderFaults {

    /** How much of the provider's error text reaches the user; enough to read, not a dump. */
    static final int MAX_PROVIDER_TEXT = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    ProviderFaults(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A non-2xx answer; {@code body} is the (possibly truncated) error body. */
    ModelException forStatus(int status, String model, String body) {
        String said = providerText(body);
        String suffix = " (HTTP " + status + ")" + (said.isEmpty() ? "." : ": " + said);
        return switch (status) {
            case 401, 403 -> new ModelException("auth",
                    "The provider at " + baseUrl + " refused the credentials" + suffix,
                    "Set TETHER_OPENAI_API_KEY to a valid API key for this provider.");
            case 407 -> new ModelException("auth",
                    "The proxy between Tether and the provider wants credentials" + suffix,
                    "Put them in the proxy URL: http://user:password@host:port in TETHER_OPENAI_PROXY "
                            + "(or HTTP_PROXY).");
            case 404 -> new ModelException("model_not_found",
                    "The provider at " + baseUrl + " does not know model '" + model + "'" + suffix,
                    "Check TETHER_OPENAI_MODELS (or unset it to ask the provider) and that "
                            + "TETHER_OPENAI_BASE_URL is the API root, usually ending in /v1.");
            case 429 -> new ModelException("rate_limited",
                    "The provider is rate limiting requests" + suffix,
                    "Wait a moment and try again; check the account's quota with the provider.");
            default -> status >= 500
                    ? new ModelException("provider_error", "The provider failed" + suffix,
                            "The fault is on the provider's side; try again, and check its status or logs.")
                    : new ModelException("bad_request", "The provider rejected the request" + suffix,
                            "The provider's reason is above; a very long conversation may exceed the "
                                    + "model's context, so try a new session.");
        };
    }

    /**
     * A 3xx answer. Redirects are not followed: a POST would turn into a GET at the next hop, and
     * the API key would travel to wherever the provider pointed; the user should see where that is.
     */
    ModelException redirect(int status, String location) {
        String target = location == null || location.isBlank() ? null : resolve(location);
        return new ModelException("connection",
                "The provider at " + baseUrl + " answered with a redirect (HTTP " + status + ")"
                        + (target == null ? " without saying where to" : " to " + target)
                        + "; Tether does not follow redirects.",
                "Set TETHER_OPENAI_BASE_URL to the address the provider points to (often https:// "
                        + "instead of http://, or a path ending in /v1).");
    }

    private String resolve(String location) {
        try {
            return truncate(java.net.URI.create(baseUrl + "/").resolve(location.strip()).toString());
        } catch (IllegalArgumentException notAUri) {
            return truncate(location);
        }
    }

    /** {@code GET /models} answered with an error status. */
    ModelException modelListFailed(int status, String body) {
        String said = providerText(body);
        return new ModelException(forStatus(status, "", body).type(),
                "Could not list the models of the provider at " + baseUrl + " (HTTP " + status + ")"
                        + (said.isEmpty() ? "." : ": " + said),
                "Set TETHER_OPENAI_MODELS to the model ids to offer, or check TETHER_OPENAI_BASE_URL "
                        + "and TETHER_OPENAI_API_KEY.");
    }

    /** The request could not be sent or answered at all. */
    ModelException forSendFailure(Throwable cause, Duration connectTimeout) {
        if (cause instanceof Route.ProxyFailure) {
            return new ModelException("connection",
                    "Could not reach the provider at " + baseUrl + " through the proxy: " + describe(cause),
                    "Check the proxy setting (TETHER_OPENAI_PROXY, or HTTPS_PROXY / HTTP_PROXY and NO_PROXY) "
                            + "and the credentials in its URL.", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new ModelException("timeout",
                    "Could not connect to the provider at " + baseUrl + " within " + seconds(connectTimeout) + ".",
                    "Check that the provider is reachable, or raise TETHER_OPENAI_CONNECT_TIMEOUT_MS.", cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof UnresolvedAddressException
                || cause.getCause() instanceof UnresolvedAddressException) {
            return new ModelException("connection",
                    "Could not connect to the provider at " + baseUrl + ": " + describe(cause),
                    "Check that the provider is running and that TETHER_OPENAI_BASE_URL is right.", cause);
        }
        return new ModelException("connection",
                "The connection to the provider at " + baseUrl + " failed: " + describe(cause),
                "Check that the provider is running and reachable, then try again.", cause);
    }

    /** The stream broke after the reply began; the caller keeps what arrived. */
    ModelException lostMidStream(IOException cause) {
        return new ModelException("connection",
                "The connection to the provider was lost mid-reply: " + describe(cause),
                "The partial reply is kept; regenerate to try again.", cause);
    }

    ModelException endedEarly() {
        return new ModelException("connection",
                "The provider closed the stream before finishing the reply.",
                "The partial reply is kept; regenerate to try again.");
    }

    ModelException firstTokenTimeout(Duration timeout) {
        return new ModelException("timeout",
                "The provider sent no reply within " + seconds(timeout) + ".",
                "The model may still be loading or overloaded; try again, or raise "
                        + "TETHER_OPENAI_FIRST_TOKEN_TIMEOUT_MS.");
    }

    ModelException idleTimeout(Duration timeout) {
        return new ModelException("timeout",
                "The provider went silent for " + seconds(timeout) + " in the middle of the reply.",
                "The partial reply is kept; try again, or raise TETHER_OPENAI_IDLE_TIMEOUT_MS.");
    }

    ModelException badResponse(String what, Throwable cause) {
        return new ModelException("bad_response", "The provider sent a malformed reply: " + what,
                "Check that TETHER_OPENAI_BASE_URL points at an OpenAI-compatible API "
                        + "(…/v1/chat/completions with streaming).", cause);
    }

    /** An error the provider reported inside an otherwise fine stream; {@code data} is the event's data. */
    ModelException inStreamError(String data) {
        String said = providerText(data);
        return new ModelException("provider_error",
                "The provider reported an error mid-reply" + (said.isEmpty() ? "." : ": " + said),
                "The partial reply is kept; try again.");
    }

    /**
     * The provider's own explanation from an error body: {@code error.message}, {@code error} as a
     * string (Ollama), {@code message} or {@code detail}; else the raw text. At most
     * {@link #MAX_PROVIDER_TEXT} characters.
     */
    static String providerText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            String message = errorMessage(root);
            return truncate(message.isEmpty() ? body : message);
        } catch (IOException | RuntimeException notJson) {
            return truncate(body);
        }
    }

    private static String errorMessage(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        for (String field : new String[] {"error", "message", "detail"}) {
            String text = errorMessage(node.get(field));
            if (!text.isEmpty()) {
                return text;
            }
        }
        return "";
    }

    static String truncate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= MAX_PROVIDER_TEXT) {
            return oneLine;
        }
        int end = Character.isHighSurrogate(oneLine.charAt(MAX_PROVIDER_TEXT - 1))
                ? MAX_PROVIDER_TEXT - 1 : MAX_PROVIDER_TEXT;
        return oneLine.substring(0, end) + "…";
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectException && cause.getMessage() == null) {
            return "connection refused"; // the JDK client leaves the message empty
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : truncate(message);
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }
}
