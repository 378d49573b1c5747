package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.config.TetherConfig;
import dev.tether.model.ChatModel;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat model behind an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, Ollama,
 * llama.cpp, vLLM, LM Studio, OpenRouter, DeepSeek, Groq), streamed over Server-Sent Events.
 * One instance serves every model id of one provider; the id travels in each request.
 *
 * <p>Threading: safe for any number of concurrent {@link #stream} calls. They share one
 * {@link HttpClient} (connection pool) and one watchdog thread for timeouts; each call's own state
 * lives in its {@link Call}.
 */
public final class OpenAiCompatibleModel implements ChatModel, AutoCloseable {

    /** Longest single line or event accepted from the provider, so one chunk cannot exhaust memory. */
    static final int MAX_EVENT_BYTES = 8 << 20;
    /** Error bodies are read only this far; the user sees at most 300 characters anyway. */
    static final int MAX_ERROR_BODY_BYTES = 64 << 10;

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleModel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TetherConfig.Provider provider;
    private final ProviderFaults faults;
    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor watchdog;
    private final URI completionsUri;
    private final URI modelsUri;

    /** Throws {@code IllegalArgumentException} at start when the base URL is not a valid URI. */
    public OpenAiCompatibleModel(TetherConfig.Provider provider) {
        this.provider = provider;
        this.faults = new ProviderFaults(provider.baseUrl());
        this.completionsUri = URI.create(provider.baseUrl() + "/chat/completions");
        this.modelsUri = URI.create(provider.baseUrl() + "/models");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(provider.connectTimeout())
                .executor(httpExecutor)
                .build();
        this.watchdog = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("tether-model-watchdog").factory());
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void stream(ModelRequest request, DeltaSink sink, StopSignal stop) throws ModelException {
        Call call = Call.start(watchdog, provider.firstTokenTimeout(), provider.idleTimeout());
        stop.onStop(() -> call.abort(Call.Abort.STOPPED));
        try {
            if (call.isAborted()) {
                throw call.abortException(faults); // stopped before it began: send nothing
            }
            HttpResponse<InputStream> response = send(call, request);
            try (InputStream body = call.attach(response.body())) {
                requireEventStream(response, body, request.model());
                new EventLoop(call, body, sink, faults).run();
            }
        } catch (ModelException e) {
            throw call.isAborted() ? call.abortException(faults) : e;
        } catch (IOException e) {
            throw call.isAborted() ? call.abortException(faults) : faults.lostMidStream(e);
        } catch (RuntimeException e) {
            if (call.isAborted()) {
                throw call.abortException(faults);
            }
            LOG.warn("Unexpected failure while streaming from {}", provider.baseUrl(), e);
            throw new ModelException("internal", "Tether failed while reading the reply: " + e,
                    "This is a bug in Tether; the server log has the details.", e);
        } finally {
            call.finish();
        }
    }

    /**
     * Asks the provider which models it serves ({@code GET {base}/models}), giving up after
     * {@code timeout}. Used once at start when no model list is configured.
     */
    public List<String> listModels(Duration timeout) throws ModelException {
        HttpRequest request = authorized(HttpRequest.newBuilder(modelsUri))
                .timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw faults.modelListFailed(response.statusCode(), response.body());
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode model : JSON.readTree(response.body()).path("data")) {
                if (model.hasNonNull("id")) {
                    ids.add(model.get("id").asText());
                }
            }
            return ids;
        } catch (IOException e) {
            throw e instanceof JsonProcessingException
                    ? faults.badResponse("the model list is not valid JSON", e)
                    : faults.forSendFailure(e, provider.connectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException.Stopped();
        }
    }

    /** Aborts requests in flight and releases the connection pool and watchdog thread. */
    @Override
    public void close() {
        client.shutdownNow();
        watchdog.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private HttpResponse<InputStream> send(Call call, ModelRequest request) throws ModelException {
        HttpRequest http = authorized(HttpRequest.newBuilder(completionsUri))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(request)))
                .build();
        try {
            return call.await(client.sendAsync(http, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (ExecutionException e) {
            throw faults.forSendFailure(e.getCause() != null ? e.getCause() : e, provider.connectTimeout());
        } catch (CancellationException e) {
            throw call.abortException(faults); // only an abort cancels the response
        } catch (InterruptedException e) {
            call.abort(Call.Abort.STOPPED);
            Thread.currentThread().interrupt();
            throw new ModelException.Stopped();
        }
    }

    /** Maps an error status to its fault; a 200 that is not an event stream is a bad response. */
    private void requireEventStream(HttpResponse<InputStream> response, InputStream body, String model)
            throws IOException, ModelException {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status / 100 == 2 && !type.startsWith("application/json")) {
            return;
        }
        String text = new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        if (status / 100 != 2) {
            throw faults.forStatus(status, model, text);
        }
        throw faults.badResponse("expected an event stream but got JSON: " + ProviderFaults.providerText(text), null);
    }

    private byte[] requestBody(ModelRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model());
        var messages = body.putArray("messages");
        for (ModelRequest.ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of strings always serializes", e);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        provider.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder;
    }
}
