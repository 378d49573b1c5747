package dev.tether.tool;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * An MCP server for the tests, on the SDK's server side: {@code echo} (read-only), {@code fail}
 * (an error result), {@code hang} (never answers), {@code big} (a result of N characters),
 * {@code html} (markup in its text) and {@code write} (not read-only, so it asks). Runs on stdio
 * as a child process ({@link #main}) or on Streamable HTTP in the test's JVM ({@link #http}).
 */
public final class TestToolServer {
    private TestToolServer() {}

    /** Stdio: serves until stdin ends. */
    public static void main(String[] args) throws Exception {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        CountDownLatch never = new CountDownLatch(1);
        McpServer.sync(new StdioServerTransportProvider(json)).serverInfo("test-tools", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(withExit(tools(json))).build();
        never.await();
    }

    /** Streamable HTTP on a free port at {@code /mcp}; the caller stops the returned server. */
    public static Server http() throws Exception {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json).mcpEndpoint("/mcp").build();
        McpServer.sync(transport).serverInfo("test-tools-http", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tools(json)).build();
        Server server = new Server(new java.net.InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(transport), "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** On stdio only: {@code exit} ends the server's process, as a crash would. */
    private static List<McpServerFeatures.SyncToolSpecification> withExit(
            List<McpServerFeatures.SyncToolSpecification> tools) {
        List<McpServerFeatures.SyncToolSpecification> all = new java.util.ArrayList<>(tools);
        all.add(spec(McpJsonDefaults.getMapper(), "exit", true, "{\"type\":\"object\"}", r -> {
            Runtime.getRuntime().halt(3);
            return text("unreachable", true);
        }));
        return all;
    }

    static List<McpServerFeatures.SyncToolSpecification> tools(McpJsonMapper json) {
        return List.of(
                spec(json, "echo", true, "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}",
                        r -> text("echo: " + r.arguments().get("text"), false)),
                spec(json, "fail", true, "{\"type\":\"object\"}", r -> text("the tool broke on purpose", true)),
                spec(json, "hang", true, "{\"type\":\"object\"}", r -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return text("woke", false);
                }),
                spec(json, "big", true, "{\"type\":\"object\",\"properties\":{\"chars\":{\"type\":\"integer\"}}}",
                        r -> text("x".repeat(((Number) r.arguments().get("chars")).intValue()), false)),
                spec(json, "html", true, "{\"type\":\"object\"}",
                        r -> text("<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>", false)),
                spec(json, "write", false, "{\"type\":\"object\"}", r -> text("written", false)));
    }

    private static McpServerFeatures.SyncToolSpecification spec(McpJsonMapper json, String name, boolean readOnly,
            String schema, java.util.function.Function<McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description("test tool " + name)
                .inputSchema(json, schema)
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(readOnly).build()).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> handler.apply(request)).build();
    }

    private static McpSchema.CallToolResult text(String text, boolean isError) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(isError).build();
    }

    /** How a test starts the stdio server: this JVM's java on the test classpath. */
    public static McpServerSpec stdioSpec(String name) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return new McpServerSpec(name, new McpServerSpec.Stdio(java, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), TestToolServer.class.getName()),
                Map.of()));
    }
}
