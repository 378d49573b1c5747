package dev.tether.tool;

import dev.tether.model.StopSignal;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The MCP servers this Tether knows (the built-in one and the configured ones), their tools, and the
 * one way to call a tool. The only owner of the servers' connections.
 *
 * <p>Threading: safe from any thread; each server's connection is its {@link McpServerLink}'s.
 */
public final class ToolBox implements AutoCloseable {
    /** How long a turn waits for a server that is still starting before it goes on without its tools. */
    public static final Duration READY_WAIT = Duration.ofSeconds(30);

    private final List<McpServerLink> links;
    private final int maxResultChars;

    ToolBox(List<McpServerLink> links, int maxResultChars) {
        this.links = List.copyOf(links);
        this.maxResultChars = maxResultChars;
    }

    /**
     * The built-in server (started when first used) and {@code config}'s servers (connecting now, in
     * the background). A result longer than {@code maxResultChars} reaches the model truncated.
     */
    public static ToolBox start(McpConfig config, int maxResultChars, boolean builtin) {
        List<McpServerLink> links = new ArrayList<>();
        if (builtin) {
            links.add(new McpServerLink(BuiltinServer.spec(), config, BuiltinServer.declared()));
        }
        for (McpServerSpec spec : config.servers()) {
            McpServerLink link = new McpServerLink(spec, config);
            link.connect();
            links.add(link);
        }
        return new ToolBox(links, maxResultChars);
    }

    /** No servers at all: every turn is a plain chat. */
    public static ToolBox none() {
        return new ToolBox(List.of(), 1);
    }

    public List<ServerStatus> servers() {
        return links.stream().map(McpServerLink::status).toList();
    }

    /** Every server's tools, waiting at most {@code wait} for each server still starting. */
    public List<Tool> tools(Duration wait) {
        List<Tool> out = new ArrayList<>();
        links.forEach(l -> out.addAll(l.tools(wait)));
        return out;
    }

    /** The tools {@code enabled} turns on; servers none of it names are not asked (nor started). */
    public List<Tool> offered(List<String> enabled, Duration wait) {
        if (enabled.isEmpty()) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>();
        for (McpServerLink l : links) {
            if (enabled.stream().anyMatch(e -> e.startsWith(l.name() + "/"))) {
                l.tools(wait).stream().filter(t -> t.enabledBy(enabled)).forEach(out::add);
            }
        }
        return out;
    }

    /** The names a session may enable: an existing server's {@code <server>/<tool>} or {@code <server>/*}. */
    public boolean knowsServerOf(String toolId) {
        int slash = toolId.indexOf('/');
        return slash > 0 && links.stream().anyMatch(l -> l.name().equals(toolId.substring(0, slash)));
    }

    /**
     * Calls {@code tool} with the model's {@code argsJson}. Never throws: a failure is an error outcome
     * the model reads. A stop cancels the call at once (the outcome then says it was cancelled).
     */
    public ToolOutcome call(Tool tool, String argsJson, StopSignal stop) {
        long start = System.nanoTime();
        Map<String, Object> args = ToolJson.arguments(argsJson);
        if (args == null) {
            return ToolOutcome.error("The arguments are not a JSON object: " + fit(argsJson, 200), 0);
        }
        McpServerLink link = links.stream().filter(l -> l.name().equals(tool.server())).findFirst().orElse(null);
        McpAsyncClient client = link == null ? null : link.ready(READY_WAIT);
        if (client == null) {
            String why = link == null ? "unknown" : String.valueOf(link.status().error());
            return ToolOutcome.error("The MCP server '" + tool.server() + "' is not available (" + why + ").", ms(start));
        }
        CompletableFuture<McpSchema.CallToolResult> call =
                client.callTool(new McpSchema.CallToolRequest(tool.name(), args)).toFuture();
        stop.onStop(() -> call.cancel(true));
        try {
            McpSchema.CallToolResult r = call.join();
            return new ToolOutcome(fit(ToolText.of(r), maxResultChars), Boolean.TRUE.equals(r.isError()), ms(start));
        } catch (CancellationException e) {
            return ToolOutcome.error("The tool call was cancelled (the turn was stopped).", ms(start));
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!(cause instanceof McpError) && !(cause instanceof java.util.concurrent.TimeoutException)) {
                link.lost(client, McpServerLink.describe(cause));
            }
            return ToolOutcome.error("The tool failed: " + fit(McpServerLink.describe(cause), 2000), ms(start));
        }
    }

    /** {@code text} cut to {@code max} characters, with a marker saying how much was left out. */
    static String fit(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "\n[Tether truncated this tool result: " + max + " of " + text.length()
                + " characters shown]";
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        links.forEach(McpServerLink::close);
    }
}
