package dev.tether.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.tether.tool.ServerStatus;
import dev.tether.tool.Tool;

/** A tool on the wire ({@code GET /api/tools}); {@code input_schema} is the server's JSON Schema as given. */
public record ToolView(String id, String server, String name, String description,
                       @JsonRawValue String inputSchema, boolean readOnly, String policy) {

    public static ToolView of(Tool t) {
        return new ToolView(t.id(), t.server(), t.name(), t.description(), t.inputSchema(), t.readOnly(),
                t.policy().wire());
    }

    /** A server on the wire; {@code error} only when it failed. */
    public record Server(String name, String transport, String state,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
        public static Server of(ServerStatus s) {
            return new Server(s.name(), s.transport(), s.state(), s.error());
        }
    }
}
