package dev.tether.model.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelInfo;
import dev.tether.model.ModelRequest;
import dev.tether.model.StopSignal;
import java.time.Duration;
import java.util.List;

/**
 * Tether's offline demo model: the default when no provider is configured, so the whole UI and
 * lifecycle work out of the box. It is not an LLM and says so in the first words of every reply.
 * Replies are deterministic (the same conversation gets the same deltas) and stream word by word
 * at {@code tokenInterval}, a realistic pace for trying stop, reconnect and replay.
 *
 * <p>Each reply is a short reasoning delta, then the text of {@link DemoReply} for the user's last
 * message, then a usage delta counting words. Commands anywhere in the last user message:
 * <ul>
 *   <li>{@code /demo tool}, or asking the time: when the request offers a {@code clock} tool (the
 *       built-in server's, which the runner offers the demo), a real call of it, then a reply that
 *       reads its answer out; without one, a simulated {@code count_words} call and result.</li>
 *   <li>{@code /demo error}: a few words, then a {@link ModelException} of type {@code demo_error},
 *       so the UI's partial-reply and error paths can be seen.</li>
 *   <li>{@code /demo slow}: a 3 s pause before the first token (a stop ends it at once).</li>
 * </ul>
 *
 * <p>Threading: stateless; any number of concurrent {@link #stream} calls.
 */
public final class DemoModel implements ChatModel {

    public static final String ID = "tether-demo";
    public static final ModelInfo INFO = new ModelInfo(ID, "demo", "Tether demo (offline, not an LLM)", true);

    static final Duration SLOW_START = Duration.ofSeconds(3);
    static final String TOOL_ID = "demo_call_1";
    static final String TOOL_NAME = "count_words";

    private final Duration tokenInterval;

    public DemoModel(Duration tokenInterval) {
        this.tokenInterval = tokenInterval;
    }

    /** What the last user message asks of the demo; one mode per reply. */
    enum Command {
        REPLY, TOOL, ERROR, SLOW;

        static Command in(String message) {
            if (message.contains("/demo error")) {
                return ERROR;
            }
            if (message.contains("/demo tool")) {
                return TOOL;
            }
            return message.contains("/demo slow") ? SLOW : REPLY;
        }
    }

    @Override
    public void stream(ModelRequest request, DeltaSink sink, StopSignal stop) throws ModelException {
        Pacer pacer = new Pacer(stop);
        String message = lastUserMessage(request);
        Command command = Command.in(message);
        pacer.pause(command == Command.SLOW ? SLOW_START : Duration.ZERO);
        sink.accept(new ModelDelta.Reasoning(DemoReply.reasoning(message)));
        if (command == Command.ERROR) {
            streamWords(DemoReply.failureOpening(), sink, pacer);
            throw new ModelException("demo_error",
                    "The demo model failed on purpose, because the message said /demo error.",
                    "This is a simulated provider error; send a message without /demo error to get a reply.");
        }
        String clock = clockFunction(request);
        if (clock != null && (command == Command.TOOL || asksTheTime(message))) {
            useClock(request, clock, sink, pacer);
            return;
        }
        if (command == Command.TOOL) {
            runTool(message, sink, pacer);
        }
        int outputTokens = streamWords(DemoReply.text(message, command == Command.TOOL), sink, pacer);
        sink.accept(new ModelDelta.Usage(inputTokens(request), outputTokens));
    }

    private int streamWords(String text, DeltaSink sink, Pacer pacer) throws ModelException.Stopped {
        List<String> tokens = DemoReply.tokens(text);
        for (String token : tokens) {
            pacer.pause(tokenInterval);
            sink.accept(new ModelDelta.Text(token));
        }
        return tokens.size();
    }

    /** The "tool" runs for one token interval and reports that interval, so replies stay deterministic. */
    private void runTool(String message, DeltaSink sink, Pacer pacer) throws ModelException.Stopped {
        int words = DemoReply.words(message).size();
        String quoted = String.join(" ", DemoReply.words(message).subList(0, Math.min(words, 12)));
        sink.accept(new ModelDelta.ToolCall(TOOL_ID, TOOL_NAME,
                JsonNodeFactory.instance.objectNode().put("text", quoted).toString()));
        pacer.pause(tokenInterval);
        sink.accept(new ModelDelta.ToolResult(TOOL_ID, TOOL_NAME, "{\"words\":" + words + "}", false,
                tokenInterval.toMillis()));
    }

    /** The offered tool named like a clock (the built-in server's {@code clock}), or null. */
    private static String clockFunction(ModelRequest request) {
        return request.tools().stream().map(ModelRequest.ToolDefinition::name)
                .filter(n -> n.endsWith("__clock")).findFirst().orElse(null);
    }

    static boolean asksTheTime(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("what time") || m.contains("the time") || m.contains("what day");
    }

    /**
     * With a real tool loop: ask for the clock; once its answer is in the conversation, read it out.
     * The call's id counts the tool answers so far, so each step of a reply has its own.
     */
    private void useClock(ModelRequest request, String clock, DeltaSink sink, Pacer pacer) throws ModelException.Stopped {
        ModelRequest.ChatMessage last = request.messages().getLast();
        if (!"tool".equals(last.role())) {
            long answered = request.messages().stream().filter(m -> "tool".equals(m.role())).count();
            sink.accept(new ModelDelta.ToolCall("demo_clock_" + (answered + 1), clock, "{}"));
            return;
        }
        String text = "The demo model (not an LLM) asked Tether's built-in clock tool, which answered: "
                + last.content() + ". That was one round of the tool loop: a call, its result, then this reply.";
        int outputTokens = streamWords(text, sink, pacer);
        sink.accept(new ModelDelta.Usage(inputTokens(request), outputTokens));
    }

    private static String lastUserMessage(ModelRequest request) {
        List<ModelRequest.ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content() == null ? "" : messages.get(i).content();
            }
        }
        return "";
    }

    private static long inputTokens(ModelRequest request) {
        return request.messages().stream()
                .mapToLong(m -> m.content() == null ? 0 : DemoReply.words(m.content()).size())
                .sum();
    }
}
