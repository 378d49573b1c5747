package dev.tether.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The MCP servers and tool policies of {@code TETHER_MCP_CONFIG}: a JSON file in the common
 * {@code {"mcpServers": {...}}} shape (what desktop MCP clients use, so an admin can paste theirs),
 * plus Tether's own {@code "tether": {"policies": {"<server>/<tool>": "auto"|"ask"|"deny"}}}. Read
 * once at start; every problem is reported together and stops the start.
 */
public record McpConfig(List<McpServerSpec> servers, Map<String, ToolPolicy> policies) {

    /** The name of the built-in server; a configured server may not take it. */
    public static final String BUILTIN = "tether";
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public McpConfig {
        servers = List.copyOf(servers);
        policies = Map.copyOf(policies);
    }

    public static McpConfig none() {
        return new McpConfig(List.of(), Map.of());
    }

    /** Reads {@code file}; throws {@link ConfigException} naming every problem. */
    public static McpConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(List.of("TETHER_MCP_CONFIG " + file + " cannot be read as JSON: " + e.getMessage()));
        }
        return parse(root, "TETHER_MCP_CONFIG " + file);
    }

    static McpConfig parse(JsonNode root, String where) {
        List<String> problems = new ArrayList<>();
        List<McpServerSpec> servers = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of(where + " must be a JSON object with \"mcpServers\""));
        }
        root.path("mcpServers").properties().forEach(e -> {
            McpServerSpec spec = server(e.getKey(), e.getValue(), where, problems);
            if (spec != null) {
                servers.add(spec);
            }
        });
        Map<String, ToolPolicy> policies = new LinkedHashMap<>();
        root.path("tether").path("policies").properties().forEach(e -> {
            ToolPolicy p = ToolPolicy.named(e.getValue().asText(""));
            if (p == null || !e.getKey().contains("/")) {
                problems.add(where + ": policy \"" + e.getKey() + "\" must be \"<server>/<tool>\": \"auto\", \"ask\" or \"deny\"");
            } else {
                policies.put(e.getKey(), p);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new McpConfig(servers, policies);
    }

    private static McpServerSpec server(String name, JsonNode s, String where, List<String> problems) {
        String at = where + ": server \"" + name + "\"";
        if (!SERVER_NAME.matcher(name).matches() || name.equals(BUILTIN)) {
            problems.add(at + ": names are 1-64 letters, digits, '_', '.' or '-', and \"" + BUILTIN + "\" is the built-in server's");
            return null;
        }
        if (s.hasNonNull("command") && s.path("command").isTextual()) {
            List<String> args = new ArrayList<>();
            s.path("args").forEach(a -> args.add(a.asText()));
            return new McpServerSpec(name, new McpServerSpec.Stdio(s.path("command").asText(), args, strings(s.path("env"))));
        }
        if (s.hasNonNull("url") && s.path("url").isTextual()) {
            String url = s.path("url").asText();
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !List.of("http", "https").contains(uri.getScheme())) {
                problems.add(at + ": \"url\" must be an http(s) URL");
                return null;
            }
            Map<String, String> headers = new LinkedHashMap<>(strings(s.path("headers")));
            if (s.hasNonNull("bearerToken")) {
                headers.put("Authorization", "Bearer " + s.path("bearerToken").asText());
            }
            return new McpServerSpec(name, new McpServerSpec.Http(url, headers));
        }
        problems.add(at + " needs \"command\" (stdio) or \"url\" (Streamable HTTP)");
        return null;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The policy for {@code <server>/<tool>}: configured, else by the tool's read-only annotation. */
    ToolPolicy policyOf(String server, String tool, boolean readOnly) {
        ToolPolicy p = policies.get(server + "/" + tool);
        return p != null ? p : ToolPolicy.byDefault(readOnly);
    }
}
