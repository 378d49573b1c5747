package dev.tether.model.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.StopSignal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat model behind an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, Ollama,
 * llama.cpp, vLLM, LM Studio, OpenRouter, DeepSeek, Groq), streamed over Server-Sent Events.
 * One instance serves every model id of one provider; the id travels in each request.
 *
 * <p>Threading: safe for any number of concurrent {@link #stream} calls. They share one
 * {@link ProviderHttp} (keep-alive connection pool) and one watchdog thread for timeouts; each
 * call runs on its caller's (virtual) thread and keeps its own state in its {@link Call}.
 */
public final class OpenAiCompatibleModel implements ChatModel, AutoCloseable {

    /** Longest single line or event accepted from the provider, so one chunk cannot exhaust memory. */
    static final int MAX_EVENT_BYTES = 8 << 20;
    /** Error bodies are read only this far; the user sees at most 300 characters anyway. */
    static final int MAX_ERROR_BODY_BYTES = 64 << 10;
    /** A model list larger than this is not a model list. */
    static final int MAX_MODEL_LIST_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleModel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TetherConfig.Provider provider;
    private final ProviderFaults faults;
    private final ProviderHttp http;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Map<String, String> streamHeaders;
    private final Map<String, String> listHeaders;

    /** Throws {@code IllegalArgumentException} at start when the base URL is not a valid http(s) URL. */
    public OpenAiCompatibleModel(TetherConfig.Provider provider) {
        this.provider = provider;
        this.faults = new ProviderFaults(provider.baseUrl());
        this.http = new ProviderHttp(URI.create(provider.baseUrl()), provider.proxy(), provider.connectTimeout(),
                ProviderHttp.defaultTls(), ProviderHttp.KEEP_ALIVE);
        Map<String, String> stream = new LinkedHashMap<>();
        stream.put("Content-Type", "application/json");
        stream.put("Accept", "text/event-stream");
        stream.put("Accept-Encoding", "identity"); // without it any coding is acceptable (RFC 9110 12.5.3)
        Map<String, String> list = new LinkedHashMap<>();
        list.put("Accept", "application/json");
        list.put("Accept-Encoding", "identity");
        provider.apiKey().ifPresent(key -> {
            stream.put("Authorization", "Bearer " + key);
            list.put("Authorization", "Bearer " + key);
        });
        this.streamHeaders = Map.copyOf(stream);
        this.listHeaders = Map.copyOf(list);
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
            try (Exchange exchange = send(call, request)) {
                requireEventStream(exchange, request.model());
                new EventLoop(call, exchange.body(), sink, faults).run();
                exchange.reuse();
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
        Call call = Call.start(watchdog, timeout, timeout); // aborts the request once timeout passes
        try (Exchange exchange = http.send("GET", "/models", listHeaders, null, call::attach)) {
            requirePlainAnswer(exchange);
            String body = bodyText(exchange, MAX_MODEL_LIST_BYTES);
            if (exchange.status() / 100 != 2) {
                throw faults.modelListFailed(exchange.status(), body);
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode model : JSON.readTree(body).path("data")) {
                if (model.hasNonNull("id")) {
                    ids.add(model.get("id").asText());
                }
            }
            exchange.reuse();
            return ids;
        } catch (IOException e) {
            if (call.isAborted()) {
                throw faults.forSendFailure(new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms"),
                        provider.connectTimeout());
            }
            throw e instanceof JsonProcessingException
                    ? faults.badResponse("the model list is not valid JSON", e)
                    : faults.forSendFailure(e, provider.connectTimeout());
        } finally {
            call.finish();
        }
    }

    /** Aborts nothing in flight (each call owns its exchange); closes idle connections and the watchdog. */
    @Override
    public void close() {
        http.close();
        watchdog.shutdownNow();
    }

    private Exchange send(Call call, ModelRequest request) throws ModelException {
        try {
            return http.send("POST", "/chat/completions", streamHeaders, requestBody(request), call::attach);
        } catch (IOException e) {
            throw call.isAborted() ? call.abortException(faults) : faults.forSendFailure(e, provider.connectTimeout());
        }
    }

    /**
     * Refuses a redirect (with where it pointed) and a compressed answer: requests say {@code
     * Accept-Encoding: identity}, so a provider that compresses anyway sent what nothing here reads.
     */
    private void requirePlainAnswer(Exchange exchange) throws ModelException {
        int status = exchange.status();
        if (status / 100 == 3) {
            throw faults.redirect(status, exchange.header("Location", null));
        }
        if (status / 100 == 2 && compressed(exchange)) {
            throw faults.badResponse("the reply is compressed (Content-Encoding: "
                    + ProviderFaults.truncate(exchange.header("Content-Encoding", "")) + "), which Tether did not "
                    + "ask for and does not decode", null);
        }
    }

    private static boolean compressed(Exchange exchange) {
        return !exchange.header("Content-Encoding", "identity").equalsIgnoreCase("identity");
    }

    /** The body as text, up to {@code max} bytes; empty when compressed (only an error status gets here so). */
    private static String bodyText(Exchange exchange, int max) throws IOException {
        return compressed(exchange) ? "" : new String(exchange.body().readNBytes(max), StandardCharsets.UTF_8);
    }

    /** Maps an error status to its fault; a 200 that is not an event stream is a bad response. */
    private void requireEventStream(Exchange exchange, String model) throws IOException, ModelException {
        requirePlainAnswer(exchange);
        int status = exchange.status();
        String type = exchange.header("Content-Type", "");
        if (status / 100 == 2 && !type.startsWith("application/json")) {
            return;
        }
        String text = bodyText(exchange, MAX_ERROR_BODY_BYTES);
        if (status / 100 != 2) {
            throw faults.forStatus(status, model, text);
        }
        throw faults.badResponse("expected an event stream but got JSON: " + ProviderFaults.providerText(text), null);
    }

    /**
     * The request, written straight to bytes: with a long conversation, building a JSON tree of
     * every message first cost more than anything else a turn did before its first token.
     */
    private byte[] requestBody(ModelRequest request) {
        int size = 128;
        for (ModelRequest.ChatMessage message : request.messages()) {
            size += message.content().length() + 40;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model", request.model());
            g.writeArrayFieldStart("messages");
            for (ModelRequest.ChatMessage message : request.messages()) {
                writeMessage(g, message);
            }
            g.writeEndArray();
            if (!request.tools().isEmpty()) {
                writeTools(g, request.tools());
            }
            g.writeBooleanField("stream", true);
            g.writeObjectFieldStart("stream_options");
            g.writeBooleanField("include_usage", true);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("strings always serialize to a byte array", e);
        }
        return bytes.toByteArray();
    }

    /** A message in the chat completions shape: an assistant's tool calls and a tool's answer included. */
    private static void writeMessage(JsonGenerator g, ModelRequest.ChatMessage message) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", message.role());
        if (message.toolCalls().isEmpty() || !message.content().isEmpty()) {
            g.writeStringField("content", message.content());
        } else {
            g.writeNullField("content");
        }
        if (message.toolCallId() != null) {
            g.writeStringField("tool_call_id", message.toolCallId());
        }
        if (!message.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ModelDelta.ToolCall call : message.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", call.name());
                g.writeStringField("arguments", call.arguments() == null ? "{}" : call.arguments());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The tools offered, as functions; each schema is JSON the tool's server gave, written as it is. */
    private static void writeTools(JsonGenerator g, List<ModelRequest.ToolDefinition> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        for (ModelRequest.ToolDefinition tool : tools) {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", tool.name());
            g.writeStringField("description", tool.description());
            g.writeFieldName("parameters");
            g.writeRawValue(tool.parametersJson());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

}
