package dev.tether.web.routes;

import dev.tether.tool.ToolBox;
import dev.tether.web.dto.ToolView;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;

/** The MCP tools this server offers and how its servers are doing ({@code GET /api/tools}). */
record ToolRoutes(ToolBox tools) {
    /** A listing starts servers not yet started (the built-in one) and waits this long for them. */
    private static final Duration LIST_WAIT = Duration.ofSeconds(5);

    void list(Context ctx) {
        var listed = tools.tools(LIST_WAIT).stream().map(ToolView::of).toList();
        ctx.json(Map.of("tools", listed, "servers", tools.servers().stream().map(ToolView.Server::of).toList()));
    }
}
