package dev.tether.tool;

/**
 * One tool a server offers. {@code id} is {@code <server>/<name>} (the API's name for it);
 * {@code function} is the name the model sees, which providers limit to letters, digits, {@code _}
 * and {@code -}. {@code inputSchema} is the server's JSON Schema as JSON text.
 */
public record Tool(String server, String name, String description, String inputSchema, boolean readOnly,
                   ToolPolicy policy) {

    public String id() {
        return server + "/" + name;
    }

    /** The function name offered to the model: unique per server and tool, at most 64 characters. */
    public String function() {
        String f = fit(server) + "__" + fit(name);
        return f.length() <= 64 ? f : f.substring(0, 64);
    }

    private static String fit(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** Whether a session's enabled list ({@code <server>/<tool>} or {@code <server>/*}) turns this tool on. */
    public boolean enabledBy(java.util.List<String> enabled) {
        return enabled.contains(id()) || enabled.contains(server + "/*");
    }
}
