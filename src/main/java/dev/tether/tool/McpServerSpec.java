package dev.tether.tool;

import java.util.List;
import java.util.Map;

/** One MCP server as the admin configured it: a name and how to reach it. */
public record McpServerSpec(String name, Transport transport) {

    /** How Tether talks to a server; each a separate kind, as the config file's two shapes are. */
    public sealed interface Transport {
        String wire();
    }

    /** A command Tether starts and supervises, speaking MCP on its stdin and stdout. */
    public record Stdio(String command, List<String> args, Map<String, String> env) implements Transport {
        public Stdio {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }

        @Override
        public String wire() {
            return "stdio";
        }
    }

    /** A Streamable HTTP endpoint; {@code headers} carry e.g. {@code Authorization: Bearer ...}. */
    public record Http(String url, Map<String, String> headers) implements Transport {
        public Http {
            headers = Map.copyOf(headers);
        }

        @Override
        public String wire() {
            return "http";
        }
    }
}
