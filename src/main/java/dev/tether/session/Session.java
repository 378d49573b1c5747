package dev.tether.session;

import java.time.Instant;
import java.util.List;

/**
 * A conversation as stored. {@code activeTurn} is the one turn allowed to write its transcript,
 * or null when idle; it changes only by compare-and-set in {@link SessionStore}. {@code turnCount}
 * counts the turns it has started: its transcript changes only when one of them starts or ends, so
 * while it is idle the count versions the transcript. {@code inputTokens} and {@code outputTokens}
 * sum the usage of its replies, as each turn's ending reported it ({@link Transitions#end}).
 */
public record Session(
        String id,
        String owner,
        String title,
        String model,
        boolean pinned,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        Instant lastMessageAt,
        String activeTurn,
        int messageCount,
        int turnCount,
        long inputTokens,
        long outputTokens,
        List<String> tools) {

    public Session {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** A session with no tools enabled (a plain chat), as every session starts. */
    public Session(String id, String owner, String title, String model, boolean pinned, boolean archived,
                   Instant createdAt, Instant updatedAt, Instant lastMessageAt, String activeTurn, int messageCount,
                   int turnCount, long inputTokens, long outputTokens) {
        this(id, owner, title, model, pinned, archived, createdAt, updatedAt, lastMessageAt, activeTurn, messageCount,
                turnCount, inputTokens, outputTokens, List.of());
    }

    /** A session with no tools enabled and no tokens counted yet. */
    public Session(String id, String owner, String title, String model, boolean pinned, boolean archived,
                   Instant createdAt, Instant updatedAt, Instant lastMessageAt, String activeTurn, int messageCount,
                   int turnCount) {
        this(id, owner, title, model, pinned, archived, createdAt, updatedAt, lastMessageAt, activeTurn, messageCount,
                turnCount, 0, 0);
    }

    /** The most tools one session may enable, and the longest name of one. */
    public static final int MAX_TOOLS = 200;
    public static final int MAX_TOOL_ID = 200;

    /** What a conversation is called until its first message names it. */
    public static final String DEFAULT_TITLE = "New chat";
    /** The longest title a conversation may have. */
    public static final int MAX_TITLE = 200;

    /**
     * Whether {@code c} may not appear in a title: control characters (NUL, newlines, escapes) and the
     * bidirectional embeddings, overrides and isolates, with which a title can show its text reversed
     * or disguise what it says in the sidebar and in file names.
     */
    public static boolean unfitForTitle(int c) {
        return Character.getType(c) == Character.CONTROL || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069
                || c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029;
    }
    static final int MAX_DERIVED_TITLE = 60;

    /** This session after a turn or transcript change: what a store writes to the row in that step. */
    public Session changed(String activeTurn, int messageCount, String title, Instant updatedAt, Instant lastMessageAt) {
        return new Session(id, owner, title, model, pinned, archived, createdAt, updatedAt, lastMessageAt, activeTurn,
                messageCount, turnCount, inputTokens, outputTokens, tools);
    }

    /** This session with one more reply's token usage counted. */
    public Session plusTokens(long input, long output) {
        return new Session(id, owner, title, model, pinned, archived, createdAt, updatedAt, lastMessageAt, activeTurn,
                messageCount, turnCount, inputTokens + input, outputTokens + output, tools);
    }

    /** This session once turn {@code turnId} started at {@code at}: active, and one more turn started. */
    public Session started(String turnId, Instant at) {
        return new Session(id, owner, title, model, pinned, archived, createdAt, at, lastMessageAt, turnId,
                messageCount, turnCount + 1, inputTokens, outputTokens, tools);
    }

    public boolean isStreaming() {
        return activeTurn != null;
    }

    /** The title once a user message is written at {@code index}: the first one names an untitled conversation. */
    public String titleWith(int index, String content) {
        if (index != 0 || !title.equals(DEFAULT_TITLE)) {
            return title;
        }
        String line = content.strip().replaceAll("\\s+", " ");
        return line.isEmpty() ? DEFAULT_TITLE
                : line.length() <= MAX_DERIVED_TITLE ? line : line.substring(0, MAX_DERIVED_TITLE - 3) + "...";
    }

    /**
     * The instant a change to this session is stamped with: {@code now}, but never before its last
     * change. A caller reads the clock before its write waits in the store's queue, so a start could
     * otherwise carry an instant before the end that let it start, and the turn rows would show two
     * turns active at once.
     */
    public Instant stampAfter(Instant now) {
        return updatedAt != null && updatedAt.isAfter(now) ? updatedAt : now;
    }
}
