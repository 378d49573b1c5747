package dev.tether.tool;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The MCP server shipped with Tether, so the tool loop works with no setup: two read-only tools,
 * {@code clock} (the current date and time) and {@code calculator} (arithmetic). It runs as
 * {@code tether mcp-builtin}, a child process speaking MCP on stdin and stdout, which Tether starts
 * the first time a chat uses it.
 */
public final class BuiltinServer {
    private BuiltinServer() {}

    /** How Tether starts it: this JVM's java, this classpath, the {@code mcp-builtin} command; small and quick to start. */
    static McpServerSpec spec() {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        return new McpServerSpec(McpConfig.BUILTIN, new McpServerSpec.Stdio(java, List.of("-Xmx64m", "-Xss512k",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.tether.Main", "mcp-builtin"), Map.of()));
    }

    /**
     * Serves MCP on {@code in}/{@code out} until {@code in} ends or the parent process exits (a killed
     * Tether leaves no server behind). Nothing else may write to {@code out}.
     */
    public static void serve(InputStream in, OutputStream out) throws InterruptedException {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        CountDownLatch closed = new CountDownLatch(1);
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(closed::countDown));
        InputStream watched = new java.io.FilterInputStream(in) {
            @Override
            public int read() throws java.io.IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }
        };
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json, watched, out))
                .serverInfo("tether-builtin", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.SyncToolSpecification.builder().tool(clockTool(json))
                                .callHandler((exchange, request) -> now()).build(),
                        McpServerFeatures.SyncToolSpecification.builder().tool(calculatorTool(json))
                                .callHandler((exchange, request) -> calculate(request)).build())
                .build();
        closed.await();
        server.close();
    }

    /** The tools it serves, as it lists them: known without starting it. */
    static List<McpSchema.Tool> declared() {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        return List.of(clockTool(json), calculatorTool(json));
    }

    private static McpSchema.Tool clockTool(McpJsonMapper json) {
        return McpSchema.Tool.builder().name("clock")
                .description("The current date and time on the Tether server (ISO 8601, with its time zone).")
                .inputSchema(json, "{\"type\":\"object\",\"properties\":{}}")
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).build()).build();
    }

    private static McpSchema.CallToolResult now() {
        ZonedDateTime now = ZonedDateTime.now();
        return text(now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + now.getZone() + ")", false);
    }

    private static McpSchema.Tool calculatorTool(McpJsonMapper json) {
        return McpSchema.Tool.builder().name("calculator")
                .description("Evaluates an arithmetic expression: numbers, + - * / % ^ and parentheses.")
                .inputSchema(json, "{\"type\":\"object\",\"properties\":{\"expression\":{\"type\":\"string\","
                        + "\"description\":\"e.g. (2 + 3) * 4\"}},\"required\":[\"expression\"]}")
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).build()).build();
    }

    private static McpSchema.CallToolResult calculate(McpSchema.CallToolRequest request) {
        Object expression = request.arguments() == null ? null : request.arguments().get("expression");
        try {
            double v = Calculator.evaluate(expression == null ? null : expression.toString());
            return text(Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString()
                    : String.valueOf(v), false);
        } catch (IllegalArgumentException e) {
            return text("Cannot calculate: " + e.getMessage(), true);
        }
    }

    private static McpSchema.CallToolResult text(String text, boolean isError) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(isError).build();
    }
}
