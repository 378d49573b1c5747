package dev.tether.turn;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.tool.Tool;
import dev.tether.tool.ToolBox;
import dev.tether.tool.ToolOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The model's side of one turn: call the model; when it asks for tools, run them (at the same time
 * when it asked for several), give it the results, and call it again, until it answers without
 * asking for a tool or the step limit is reached. Every step is events in the turn's log: the
 * model's text as it streams, {@code tool} before a call runs, {@code tool_complete} after.
 *
 * <p>Threading: one instance per runner, stateless; {@link #run} blocks its turn's worker thread,
 * and the tool calls of one step run on virtual threads of their own.
 */
final class ToolLoop {
    private final ToolBox tools;
    private final int maxSteps;
    private final JournalFlusher journal;

    ToolLoop(ToolBox tools, int maxSteps, JournalFlusher journal) {
        this.tools = tools;
        this.maxSteps = maxSteps;
        this.journal = journal;
    }

    /** The tools a session's enabled list turns on (servers still starting are waited for, a while). */
    List<Tool> offered(List<String> enabled) {
        return tools.offered(enabled, ToolBox.READY_WAIT);
    }

    /**
     * Runs the model and the tools it asks for until it answers; throws what the model throws, or
     * Stopped. {@code logged} hears every delta the turn logged (on the worker's thread).
     */
    void run(ChatModel model, ModelRequest first, List<Tool> offered, LiveTurn turn,
             java.util.function.Consumer<ModelDelta> logged) throws ModelException {
        ModelRequest request = offered.isEmpty() ? first : first.withTools(offered.stream()
                .map(t -> new ModelRequest.ToolDefinition(t.function(), t.description(), t.inputSchema())).toList());
        for (int step = 0; ; step++) {
            List<ModelDelta.ToolCall> calls = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            model.stream(request, delta -> {
                if (delta instanceof ModelDelta.ToolCall call && !offered.isEmpty()) {
                    calls.add(call); // logged when it runs, with its server
                    return;
                }
                if (delta instanceof ModelDelta.Text t) {
                    text.append(t.text());
                }
                boolean accepted = turn.accept(delta);
                logged(turn, accepted);
                if (accepted) {
                    logged.accept(delta);
                }
            }, turn.stop);
            if (calls.isEmpty()) {
                return;
            }
            if (step >= maxSteps) {
                throw new ModelException("tool_step_limit", "The model asked for tools " + (step + 1)
                        + " times in one reply; this server allows " + maxSteps + " (TETHER_MAX_TOOL_STEPS).",
                        "Ask again with a narrower request, or raise TETHER_MAX_TOOL_STEPS.");
            }
            List<ModelRequest.ChatMessage> stepMessages = new ArrayList<>();
            stepMessages.add(new ModelRequest.ChatMessage("assistant", text.toString(), calls, null));
            stepMessages.addAll(runAll(calls, offered, turn));
            if (turn.stop.isStopped()) {
                throw new ModelException.Stopped();
            }
            request = request.followedBy(stepMessages);
        }
    }

    /** Logs every call, runs them at once, and logs each result as it comes; the results in the calls' order. */
    private List<ModelRequest.ChatMessage> runAll(List<ModelDelta.ToolCall> calls, List<Tool> offered, LiveTurn turn)
            throws ModelException.Stopped {
        List<Future<ModelRequest.ChatMessage>> running = new ArrayList<>();
        try (ExecutorService calling = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ModelDelta.ToolCall call : calls) {
                Tool tool = offered.stream().filter(t -> t.function().equals(call.name())).findFirst().orElse(null);
                logged(turn, turn.toolCalled(call, tool == null ? call.name() : tool.name(),
                        tool == null ? null : tool.server()));
                running.add(calling.submit(() -> {
                    ToolOutcome outcome = outcome(tool, call, turn);
                    logged(turn, turn.accept(new ModelDelta.ToolResult(call.id(), tool == null ? call.name()
                            : tool.name(), outcome.text(), outcome.isError(), outcome.durationMs())));
                    return ModelRequest.ChatMessage.toolResult(call.id(), outcome.text());
                }));
            }
        }
        List<ModelRequest.ChatMessage> results = new ArrayList<>();
        for (Future<ModelRequest.ChatMessage> f : running) {
            try {
                results.add(f.get());
            } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
                throw new IllegalStateException("a tool call failed outside the tool box", e);
            }
        }
        return results;
    }

    /** What one call comes to under its tool's policy; approvals are not built yet, so "ask" refuses. */
    private ToolOutcome outcome(Tool tool, ModelDelta.ToolCall call, LiveTurn turn) {
        if (tool == null) {
            return new ToolOutcome("There is no tool '" + call.name() + "' in this chat.", true, 0);
        }
        return switch (tool.policy()) {
            case AUTO -> tools.call(tool, call.arguments(), turn.stop);
            case DENY -> new ToolOutcome("The server's policy denies the tool " + tool.id() + "; it was not run.",
                    true, 0);
            case ASK -> new ToolOutcome("The tool " + tool.id() + " needs the user's approval, and this server"
                    + " cannot ask for approvals yet; it was not run. An admin may set its policy to \"auto\".",
                    true, 0);
        };
    }

    /** Tells the journal of an event, or stops the model call once the turn is ending. */
    private void logged(LiveTurn turn, boolean accepted) {
        if (accepted) {
            journal.appended();
        } else {
            turn.stop.fire();
        }
    }
}
