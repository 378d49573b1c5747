package dev.tether.web.routes;

import dev.tether.session.Session;
import dev.tether.tool.ToolBox;
import dev.tether.web.ApiError;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Which tools a request may enable: ids of this server's MCP servers, {@code <server>/<tool>} or {@code <server>/*}. */
record ToolChoice(ToolBox tools) {
    private static final Pattern TOOL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}/([A-Za-z0-9_.-]{1,128}|\\*)");

    /** The ids asked for, each once, in order; 400 for a malformed id or an unknown server. */
    List<String> requested(List<String> ids) {
        if (ids.size() > Session.MAX_TOOLS) {
            throw new ApiError(400, "too_many_tools", "A chat may enable at most " + Session.MAX_TOOLS + " tools.");
        }
        for (String id : ids) {
            if (!TOOL_ID.matcher(id).matches()) {
                throw new ApiError(400, "bad_tool", "Tool ids look like \"<server>/<tool>\" or \"<server>/*\".");
            }
            if (!tools.knowsServerOf(id)) {
                throw new ApiError(400, "unknown_tool", "There is no MCP server for '" + id + "'; see /api/tools.");
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }
}
