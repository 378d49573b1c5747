package dev.tether.tool;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/** A tool result as the text the model reads: text content as it is, anything else as JSON. Stateless. */
final class ToolText {
    private ToolText() {}

    static String of(McpSchema.CallToolResult r) {
        List<String> parts = new ArrayList<>();
        if (r.content() != null) {
            for (McpSchema.Content c : r.content()) {
                parts.add(c instanceof McpSchema.TextContent t ? t.text() : ToolJson.write(c));
            }
        }
        if (parts.isEmpty() && r.structuredContent() != null) {
            parts.add(ToolJson.write(r.structuredContent()));
        }
        return String.join("\n", parts);
    }
}
