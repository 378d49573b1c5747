package dev.tether.store.migrate;

import static dev.tether.store.migrate.Table.flag;
import static dev.tether.store.migrate.Table.instant;
import static dev.tether.store.migrate.Table.integer;
import static dev.tether.store.migrate.Table.text;

import java.util.List;
import java.util.Map;

/**
 * Every table of Tether's schemas, as {@code migrate} treats it: copied (in an order that satisfies
 * the foreign keys, parents first), or not copied for a stated reason. A table the source has and
 * this list does not name stops the migration before anything is written, so a new table cannot be
 * left behind silently.
 */
final class Tables {
    private Tables() {}

    static final List<Table> COPIED = List.of(
            Table.of("users", List.of("id"), text("id"), text("name"), text("password_hash"), flag("admin"),
                    flag("disabled"), instant("created_at")),
            Table.of("logins", List.of("token_hash"), text("token_hash"), text("user_id"), instant("created_at"),
                    instant("expires_at")),
            Table.of("api_tokens", List.of("id"), text("id"), text("user_id"), text("name"), text("token_hash"),
                    instant("created_at"), instant("last_used_at"), instant("revoked_at"), instant("expires_at"), flag("read_only")),
            Table.of("sessions", List.of("id"), text("id"), text("owner"), text("title"), text("model"), flag("pinned"),
                    flag("archived"), instant("created_at"), instant("updated_at"), instant("last_message_at"),
                    text("active_turn"), integer("message_count"), integer("turn_count"), integer("next_queue_pos"),
                    integer("input_tokens"), integer("output_tokens"), text("tools")),
            Table.of("turns", List.of("id"), text("id"), text("session_id"), text("owner"), text("state"),
                    text("client_message_id"), integer("user_message_idx"), text("model"), instant("started_at"),
                    instant("ended_at"), integer("journal_key"), text("instance_id"), integer("instance_epoch")),
            Table.of("turn_journal", List.of("turn_key", "seq"), integer("turn_key"), integer("seq"), text("name"),
                    text("data")),
            Table.of("messages", List.of("session_id", "idx"), text("session_id"), integer("idx"), text("role"),
                    text("content"), text("reasoning"), text("mark"), text("error"), text("hint"), text("usage_json"),
                    text("attachments"), text("turn_id"), instant("created_at")),
            Table.of("queued", List.of("id"), text("id"), text("session_id"), integer("position"), text("content"),
                    text("model"), text("client_message_id"), text("attachments"), instant("created_at")),
            Table.of("attachments", List.of("id"), text("id"), text("owner"), text("session_id"), text("filename"),
                    text("mime"), integer("size"), instant("created_at")),
            Table.of("preferences", List.of("owner"), text("owner"), text("theme"), text("font_size"),
                    flag("send_on_enter"), instant("updated_at")));

    /**
     * SQLite's full-text index of messages (FTS5's table and its shadow tables, and the keys it
     * indexes by): derived from messages, and PostgreSQL keeps its own (a trigram index on
     * messages), which the copied messages fill. Likewise {@link #COLUMNS_NOT_COPIED}.
     */
    private static final String DERIVED_INDEX = "SQLite's full-text index of messages, derived from them;"
            + " PostgreSQL's own index is built from the copied messages";

    /** Tables in either schema that are not copied, and why. */
    static final Map<String, String> NOT_COPIED = Map.ofEntries(
            Map.entry("flyway_schema_history", "each database keeps the history of its own schema's migrations;"
                    + " the target's was written when its schema was created"),
            Map.entry("search_keys", DERIVED_INDEX),
            Map.entry("message_search", DERIVED_INDEX),
            Map.entry("message_search_data", DERIVED_INDEX),
            Map.entry("message_search_idx", DERIVED_INDEX),
            Map.entry("message_search_docsize", DERIVED_INDEX),
            Map.entry("message_search_config", DERIVED_INDEX),
            Map.entry("instances", "the processes that ran on the source; the target's register themselves, and a"
                    + " turn that names a source instance is taken over (ended interrupted) by the first one to start"),
            Map.entry("attachment_bytes", "PostgreSQL's only: the source's attachment files stay in the data dir,"
                    + " and the server moves each into the database on its first read"));

    /** Columns of copied tables that are not copied (table.column), and why. */
    static final Map<String, String> COLUMNS_NOT_COPIED = Map.of(
            "sessions.content_bytes", "derived from the session's messages: the target's trigger on messages"
                    + " adds each copied message to it");

    /** SQLite's own bookkeeping tables (sqlite_sequence, sqlite_stat1, ...): not Tether's data. */
    static boolean isSqliteInternal(String table) {
        return table.startsWith("sqlite_");
    }
}
