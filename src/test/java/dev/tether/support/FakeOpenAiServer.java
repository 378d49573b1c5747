package dev.tether.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * An in-process OpenAI-compatible provider for tests, on 127.0.0.1 and a free port (the benchmark
 * has its own lean one, {@code BenchProvider} in src/bench). It serves
 * {@code POST /v1/chat/completions} (streaming only: SSE over chunked HTTP/1.1) and
 * {@code GET /v1/models}, and records every request it receives (until {@link #clearRequests()},
 * which long runs should call now and then).
 *
 * <pre>{@code
 * try (FakeOpenAiServer provider = FakeOpenAiServer.start()) {
 *     provider.script(s -> s.text("Hello there").tokenDelay(Duration.ofMillis(5)));
 *     provider.script("stuck-model", s -> s.hangBeforeFirstToken());   // only for that model id
 *     ... point TETHER_OPENAI_BASE_URL at provider.baseUrl() ...
 *     provider.release();                          // lets hung streams go on
 *     provider.lastRequest().json().path("messages");
 * }
 * }</pre>
 *
 * <p>Behaviour is a {@link Script}: an immutable value changed with its with-style methods. A request
 * uses the script for its {@code model} if one was set with {@link #script(String, UnaryOperator)},
 * else the default script, read once when the request arrives. Each stream sends, in order: a role
 * chunk, the reasoning tokens, the text tokens, the tool call in fragments, a finish chunk, a usage
 * chunk (when the request asked for usage) and {@code [DONE]}. Faults interrupt that sequence.
 *
 * <p>It is a raw HTTP/1.1 server on a {@link ServerSocket}, one virtual thread per connection, so it
 * can reset a connection abruptly and carry thousands of concurrent streams.
 *
 * <p>Threading: every method may be called from any thread while streams run.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** How a stream goes wrong, if it does; {@code afterTokens} counts text tokens already sent. */
    public sealed interface Fault {
        record None() implements Fault {}
        /** Answer with this status and body instead of a stream (also for {@code GET /models}). */
        record HttpError(int status, String body) implements Fault {}
        /** Send nothing at all, not even a status line, until {@link #release()} or {@link #close()}. */
        record HangBeforeResponse() implements Fault {}
        record HangAfter(int afterTokens) implements Fault {}
        /** Close the socket with a TCP reset (SO_LINGER 0). */
        record ResetAfter(int afterTokens) implements Fault {}
        /** Send a {@code data:} line that is not valid JSON, then {@code [DONE]}. */
        record MalformedAfter(int afterTokens) implements Fault {}
        /** Answer with these bytes as they are (a whole HTTP response, head and body), then close. */
        record Raw(String response) implements Fault {}
    }

    /** A tool call, streamed as three fragments (id and name, then the arguments in two halves). */
    public record ToolCall(String id, String name, String arguments) {}

    /**
     * What the fake does with a request: immutable once published (each method returns a changed
     * copy). Defaults: three text tokens, no reasoning, no tool call, no delays, no fault, one model
     * "fake-model". Usage, when the request asks for it, counts the words of the request's messages
     * and the text tokens sent.
     */
    public static final class Script {
        public static final Script DEFAULT = new Script();

        private List<String> tokens = List.of("Hello", " from", " the fake.");
        private List<String> reasoning = List.of();
        private String reasoningField = "reasoning_content";
        private ToolCall toolCall;
        private Duration firstTokenDelay = Duration.ZERO;
        private Duration tokenDelay = Duration.ZERO;
        private Fault fault = new Fault.None();
        private List<String> models = List.of("fake-model");

        private Script() {}

        private Script copy(Consumer<Script> change) {
            Script s = new Script();
            s.tokens = tokens;
            s.reasoning = reasoning;
            s.reasoningField = reasoningField;
            s.toolCall = toolCall;
            s.firstTokenDelay = firstTokenDelay;
            s.tokenDelay = tokenDelay;
            s.fault = fault;
            s.models = models;
            change.accept(s);
            return s;
        }

        public Script tokens(List<String> t) { return copy(s -> s.tokens = List.copyOf(t)); }
        public Script tokens(String... t) { return tokens(List.of(t)); }
        /** {@code text} as word-sized tokens: "a b" sends "a", " b". */
        public Script text(String text) { return tokens(List.of(text.split("(?=\\s)"))); }
        /** {@code n} tokens "w0", " w1", " w2", ... */
        public Script tokenCount(int n) {
            return tokens(IntStream.range(0, n).mapToObj(i -> (i == 0 ? "w" : " w") + i).toList());
        }
        public Script reasoning(String... r) { return copy(s -> s.reasoning = List.of(r)); }
        /** {@code reasoning_content} (DeepSeek, vLLM; the default) or {@code reasoning} (Ollama, OpenRouter). */
        public Script reasoningField(String field) { return copy(s -> s.reasoningField = field); }
        public Script toolCall(String id, String name, String argumentsJson) {
            return copy(s -> s.toolCall = new ToolCall(id, name, argumentsJson));
        }
        /** Headers and the role chunk go out at once; the first token waits this long. */
        public Script firstTokenDelay(Duration d) { return copy(s -> s.firstTokenDelay = d); }
        public Script tokenDelay(Duration d) { return copy(s -> s.tokenDelay = d); }
        /** The ids {@code GET /models} lists (read from the default script). */
        public Script models(String... ids) { return copy(s -> s.models = List.of(ids)); }
        public Script fault(Fault f) { return copy(s -> s.fault = f); }
        /** This status with an OpenAI-style body {@code {"error":{"message":...,"type":...,"code":...}}}. */
        public Script httpError(int status, String message) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("error").put("message", message).put("type", "fake_error").put("code", status);
            return fault(new Fault.HttpError(status, body.toString()));
        }
        public Script httpErrorBody(int status, String rawBody) { return fault(new Fault.HttpError(status, rawBody)); }
        public Script hangBeforeFirstToken() { return fault(new Fault.HangBeforeResponse()); }
        public Script hangAfterTokens(int k) { return fault(new Fault.HangAfter(k)); }
        public Script resetAfterTokens(int k) { return fault(new Fault.ResetAfter(k)); }
        public Script malformedChunkAfterTokens(int k) { return fault(new Fault.MalformedAfter(k)); }
        public Script rawResponse(String response) { return fault(new Fault.Raw(response)); }
    }

    /** One request as received; header names are lower case. */
    public record RecordedRequest(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket listener;
    private final AtomicReference<Script> defaultScript = new AtomicReference<>(Script.DEFAULT);
    private final Map<String, Script> modelScripts = new ConcurrentHashMap<>();
    private final AtomicReference<CountDownLatch> hangGate = new AtomicReference<>(new CountDownLatch(1));
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger abandonedStreams = new AtomicInteger();
    private volatile boolean answerBeforeBody;

    private FakeOpenAiServer() throws IOException {
        listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    }

    public static FakeOpenAiServer start() {
        try {
            FakeOpenAiServer server = new FakeOpenAiServer();
            // A platform thread: under thousands of busy stream threads, a virtual accept loop
            // waits its turn long enough for connects to time out.
            // A platform thread, so accepting never queues behind thousands of busy stream threads.
            Thread.ofPlatform().daemon().name("fake-openai-accept").start(server::acceptLoop);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** E.g. {@code http://127.0.0.1:PORT/v1}, the value for {@code TETHER_OPENAI_BASE_URL}. */
    public String baseUrl() { return "http://127.0.0.1:" + port() + "/v1"; }
    public int port() { return listener.getLocalPort(); }

    /** Changes the default script for requests that arrive from now on. */
    public void script(UnaryOperator<Script> change) { defaultScript.updateAndGet(change); }

    /** Changes the script of one model id (starting from {@link Script#DEFAULT}). */
    public void script(String model, UnaryOperator<Script> change) {
        modelScripts.compute(model, (id, old) -> change.apply(old == null ? Script.DEFAULT : old));
    }

    /** Back to {@link Script#DEFAULT} for every model; recorded requests are kept. */
    public void resetScripts() {
        defaultScript.set(Script.DEFAULT);
        modelScripts.clear();
    }

    /**
     * When on, each request is answered with the default script (as for model "fake-model", usage
     * off) as soon as its head has arrived, before its body is read, and the connection is closed
     * after the answer; the request is not recorded. So behaves a provider or proxy that answers
     * early: the client may still be writing its body when the answer, or a reset after it, arrives.
     */
    public void answerBeforeBody(boolean on) { answerBeforeBody = on; }

    /** Lets every stream hung so far go on; streams that hang later wait for the next release. */
    public void release() { hangGate.getAndSet(new CountDownLatch(1)).countDown(); }

    public List<RecordedRequest> requests() { return List.copyOf(requests); }
    public RecordedRequest lastRequest() { return requests().getLast(); }
    public void clearRequests() { requests.clear(); }
    /** Streams that have started and not yet ended (a hung stream counts). */
    public int openStreams() { return openStreams.get(); }
    /** Streams that ended because the client went away (a write failed). */
    public int abandonedStreams() { return abandonedStreams.get(); }

    @Override
    public void close() {
        closed.countDown();
        hangGate.get().countDown();
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        connections.forEach(FakeOpenAiServer::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            if (answerBeforeBody) {
                InputStream unbuffered = socket.getInputStream(); // leaves the body in the socket
                for (String line = readLine(unbuffered); line != null && !line.isEmpty(); line = readLine(unbuffered)) {
                    // the head only
                }
                stream(defaultScript.get(), JSON.createObjectNode().put("model", "fake-model").put("stream", true),
                        socket, out);
                return; // closing with the body unread resets the connection, as it would for any server
            }
            RecordedRequest request;
            while ((request = readRequest(in)) != null && respond(request, socket, out)) {
                // keep-alive: next request on the same connection
            }
        } catch (IOException e) {
            // the client hung up or the server closed; nothing to answer
        } finally {
            connections.remove(socket);
        }
    }

    /** Answers one request; returns whether the connection can carry another. */
    private boolean respond(RecordedRequest request, Socket socket, OutputStream out) throws IOException {
        if (request.path().endsWith("/models") && request.method().equals("GET")) {
            return answerModels(defaultScript.get(), out);
        }
        if (!request.path().endsWith("/chat/completions") || !request.method().equals("POST")) {
            return write(out, 404, error("no route " + request.method() + " " + request.path()));
        }
        JsonNode body;
        try {
            body = request.json();
        } catch (UncheckedIOException e) {
            return write(out, 400, error("request body is not JSON"));
        }
        if (!body.path("stream").asBoolean(false)) {
            return write(out, 400, error("the fake provider only streams; send stream:true"));
        }
        return stream(modelScripts.getOrDefault(body.path("model").asText(), defaultScript.get()), body, socket, out);
    }

    private boolean stream(Script script, JsonNode body, Socket socket, OutputStream out) throws IOException {
        openStreams.incrementAndGet();
        try {
            return new Reply(script, body, socket, out).run();
        } catch (IOException e) {
            abandonedStreams.incrementAndGet();
            throw e;
        } finally {
            openStreams.decrementAndGet();
        }
    }

    private boolean answerModels(Script script, OutputStream out) throws IOException {
        if (script.fault instanceof Fault.HttpError(int status, String body)) {
            return write(out, status, body);
        }
        if (script.fault instanceof Fault.Raw(String response)) {
            out.write(response.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return false;
        }
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        script.models.forEach(id ->
                list.withArray("data").addObject().put("id", id).put("object", "model").put("owned_by", "fake"));
        return write(out, 200, list.toString());
    }

    /** One streamed reply, top to bottom, with its faults. */
    private final class Reply {
        private final Script script;
        private final JsonNode request;
        private final Socket socket;
        private final OutputStream out;
        private final CountDownLatch gate = hangGate.get();
        private int sent;

        Reply(Script script, JsonNode request, Socket socket, OutputStream out) {
            this.script = script;
            this.request = request;
            this.socket = socket;
            this.out = out;
        }

        boolean run() throws IOException {
            switch (script.fault) {
                case Fault.HttpError(int status, String body) -> { return write(out, status, body); }
                case Fault.HangBeforeResponse() -> await(gate, Long.MAX_VALUE);
                case Fault.Raw(String response) -> {
                    out.write(response.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return false;
                }
                default -> { }
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            event(chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
            pause(script.firstTokenDelay);
            for (String r : script.reasoning) {
                event(chunk(JSON.createObjectNode().put(script.reasoningField, r), null));
                pause(script.tokenDelay);
            }
            for (String token : script.tokens) {
                if (!beforeToken()) {
                    return false;
                }
                event(chunk(JSON.createObjectNode().put("content", token), null));
                sent++;
            }
            if (!beforeToken()) {
                return false;
            }
            sendToolCall();
            event(chunk(JSON.createObjectNode(), script.toolCall != null ? "tool_calls" : "stop"));
            sendUsage();
            end();
            return true;
        }

        /** Applies a fault due after {@code sent} tokens; false when the stream must end here. */
        private boolean beforeToken() throws IOException {
            if (sent > 0) {
                pause(script.tokenDelay);
            }
            switch (script.fault) {
                case Fault.HangAfter(int k) when k == sent -> await(gate, Long.MAX_VALUE);
                case Fault.ResetAfter(int k) when k == sent -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                    return false;
                }
                case Fault.MalformedAfter(int k) when k == sent -> {
                    event("{\"choices\":[{\"delta\":{\"content\":\"broken");
                    end();
                    return false;
                }
                default -> { }
            }
            return true;
        }

        private void sendToolCall() throws IOException {
            ToolCall call = script.toolCall;
            if (call == null) {
                return;
            }
            int half = call.arguments().length() / 2;
            ObjectNode first = JSON.createObjectNode();
            first.putArray("tool_calls").addObject().put("index", 0).put("id", call.id()).put("type", "function")
                    .putObject("function").put("name", call.name()).put("arguments", "");
            event(chunk(first, null));
            for (String part : List.of(call.arguments().substring(0, half), call.arguments().substring(half))) {
                ObjectNode fragment = JSON.createObjectNode();
                fragment.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", part);
                event(chunk(fragment, null));
            }
        }

        private void sendUsage() throws IOException {
            if (!request.path("stream_options").path("include_usage").asBoolean(false)) {
                return;
            }
            long prompt = promptWords();
            ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk");
            chunk.putArray("choices");
            chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", sent)
                    .put("total_tokens", prompt + sent);
            event(chunk.toString());
        }

        private long promptWords() {
            return request.path("messages").valueStream()
                    .map(m -> m.path("content").asText("").strip())
                    .mapToLong(c -> c.isEmpty() ? 0 : c.split("\\s+").length).sum();
        }

        private String chunk(ObjectNode delta, String finishReason) {
            ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                    .put("created", 0).put("model", request.path("model").asText());
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finishReason);
            return chunk.toString();
        }

        /** One SSE event as one HTTP chunk, flushed so the client sees it now. */
        private void event(String data) throws IOException {
            byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write(CRLF);
            out.flush();
        }

        /** {@code [DONE]}, then the last chunk of the HTTP body. */
        private void end() throws IOException {
            event("[DONE]");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Paces a fake stream; returns early when the server closes, so close() never waits on it. */
    private void pause(Duration d) {
        if (d.isPositive()) {
            await(closed, d.toNanos());
        }
    }

    private static void await(CountDownLatch latch, long nanos) {
        try {
            latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error");
        return body.toString();
    }

    /** A whole non-streaming answer; the connection stays open for the next request. */
    private static boolean write(OutputStream out, int status, String jsonBody) throws IOException {
        byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " Fake\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return true;
    }

    /** Reads one request (Content-Length bodies only); null when the client closed the connection. */
    private RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String[] parts = requestLine.split(" ");
        RecordedRequest request = new RecordedRequest(parts[0], parts[1], Map.copyOf(headers),
                new String(in.readNBytes(length), StandardCharsets.UTF_8));
        requests.add(request);
        return request;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
