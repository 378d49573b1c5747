package dev.tether.store.jdbc;

import dev.tether.session.Fence;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.Turn;
import dev.tether.session.TurnState;
import dev.tether.store.jdbc.Sql.Mapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of the tables every Tether schema has, as domain records. Each database has its own
 * migrations, but the tables and columns have the same names and meanings there; only how an
 * instant is stored differs, and that is the store's {@link Columns}. The mappers are built once,
 * with the store: handing one to a query allocates nothing.
 */
public final class Rows {

    /** The columns {@link #session} reads, in its order: every query mapped by it selects exactly these. */
    public static final String SESSION_COLUMNS = "id, owner, title, model, pinned, archived, created_at, "
            + "updated_at, last_message_at, active_turn, message_count, turn_count, input_tokens, output_tokens, tools";

    private final Columns columns;

    /**
     * A session row selected as {@link #SESSION_COLUMNS}, read by position: by name, the driver
     * built a name map for every result (a tenth of reading the session on each start and end).
     */
    public final Mapper<Session> session;
    public final Mapper<Message> message;
    public final Mapper<Turn> turn;
    public final Mapper<QueuedMessage> queued;

    public Rows(Columns columns) {
        this.columns = columns;
        this.session = rs -> new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getBoolean(5), rs.getBoolean(6), columns.instant(rs, 7), columns.instant(rs, 8),
                columns.instant(rs, 9), rs.getString(10), rs.getInt(11), rs.getInt(12), rs.getLong(13), rs.getLong(14),
                list(rs.getString(15)));
        this.message = rs -> new Message(rs.getInt("idx"), rs.getString("role"), rs.getString("content"),
                rs.getString("reasoning"), Message.Mark.fromWire(rs.getString("mark")),
                rs.getString("error"), rs.getString("hint"), rs.getString("usage_json"), list(rs.getString("attachments")),
                rs.getString("turn_id"), instant(rs, "created_at"));
        this.turn = rs -> new Turn(rs.getString("id"), rs.getString("session_id"), rs.getString("owner"),
                TurnState.fromWire(rs.getString("state")), rs.getString("client_message_id"),
                rs.getInt("user_message_idx"), rs.getString("model"), instant(rs, "started_at"),
                instant(rs, "ended_at"), fence(rs));
        this.queued = rs -> new QueuedMessage(rs.getString("id"), rs.getString("session_id"), rs.getLong("position"),
                rs.getString("content"), rs.getString("model"), rs.getString("client_message_id"),
                list(rs.getString("attachments")), instant(rs, "created_at"));
    }

    /** A turn row's fencing token; null for a turn that names no instance. */
    private static Fence fence(ResultSet rs) throws SQLException {
        String instance = rs.getString("instance_id");
        long epoch = rs.getLong("instance_epoch");
        return instance == null || rs.wasNull() ? null : new Fence(instance, epoch);
    }

    /** The instant in the named column, as this store's {@link Columns} stores it. */
    public Instant instant(ResultSet rs, String column) throws SQLException {
        return columns.instant(rs, rs.findColumn(column));
    }

    /** Attachment ids are plain tokens without commas, so a comma list is an honest encoding. */
    public static String joined(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    public static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
