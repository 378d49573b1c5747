package dev.tether.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation brought in from an export file (Tether's own or another chat app's), as the file
 * says it; what it becomes here is decided by {@link #session} and {@link #messages}. A missing
 * title is null. Which model it runs on is the caller's choice: only the catalog knows the models.
 * An import is never pinned, and its title says it was imported: a copy must not pass for the
 * conversation it was made from (which may still be in the list). The times the file gives (null
 * when it gives none) are kept, but never later than the import: a session must not sort above the
 * ones made after it, nor claim a future.
 */
public record SessionImport(String title, boolean archived, List<Entry> entries, Instant createdAt, Instant updatedAt) {

    /** The title of an import whose file names none. */
    public static final String DEFAULT_TITLE = "Imported chat";
    /** Added to a title the file names. */
    public static final String MARKER = " (imported)";

    public SessionImport {
        entries = List.copyOf(entries);
    }

    /** A file that gives no times: the session and its messages are dated at the import. */
    public SessionImport(String title, boolean archived, List<Entry> entries) {
        this(title, archived, entries, null, null);
    }

    /**
     * One entry of the file's transcript. {@code content} is null when the file held something other
     * than text; {@code status} is the exported mark of a reply ({@code stopped}, {@code error},
     * {@code interrupted}) or anything else; {@code usageJson} the reply's token usage as the caller
     * checked it, or null; {@code at} when it was written, or null.
     */
    public record Entry(String role, String content, String reasoning, String status, String error, String hint,
                        String usageJson, Instant at) {

        /** An entry the file gives no time for. */
        public Entry(String role, String content, String reasoning, String status, String error, String hint,
                     String usageJson) {
            this(role, content, reasoning, status, error, hint, usageJson, null);
        }

        private List<String> texts() {
            return java.util.stream.Stream.of(content, reasoning, error, hint).filter(java.util.Objects::nonNull).toList();
        }

        /** Only user and assistant entries are a transcript; system prompts and tool messages are left out. */
        boolean isTranscript() {
            return Message.USER.equals(role) || Message.ASSISTANT.equals(role);
        }
    }

    /**
     * The index of the first entry with a text (content, reasoning, error or hint) longer than
     * {@code maxChars}, or -1: an import is held to the length a sent message is held to.
     */
    public int firstTooLong(int maxChars) {
        for (int i = 0; i < entries.size(); i++) {
            for (String text : entries.get(i).texts()) {
                if (text.length() > maxChars) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** What the entries' texts take as UTF-8: what the import adds to its owner's storage. */
    public long textBytes() {
        long bytes = 0;
        for (Entry e : entries) {
            for (String text : e.texts()) {
                bytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }

    /** Why this file cannot be imported, or null. */
    String refusal() {
        for (Entry e : entries) {
            if (e.isTranscript() && e.content() == null) {
                return "A message's content must be text.";
            }
        }
        return null;
    }

    /** The transcript it becomes: user and assistant entries numbered from 0; only a reply keeps a mark. */
    List<Message> messages(Instant at) {
        Instant last = last(at);
        List<Message> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.isTranscript()) {
                Message.Mark mark = e.role().equals(Message.ASSISTANT) ? Message.Mark.named(e.status()) : null;
                out.add(new Message(out.size(), e.role(), e.content(), e.reasoning(), mark, e.error(), e.hint(),
                        e.usageJson(), List.of(), null, notAfter(e.at() == null ? last : e.at(), at)));
            }
        }
        return out;
    }

    /** The new, idle session of {@code owner} with {@code messageCount} messages, using {@code model}. */
    Session session(String id, String owner, String model, int messageCount, Instant at) {
        Instant made = notAfter(createdAt == null ? at : createdAt, at);
        Instant last = last(at);
        if (last.isBefore(made)) {
            last = made;
        }
        return new Session(id, owner, importedTitle(), model, false, archived, made, last, messageCount == 0 ? null : last,
                null, messageCount, 0, 0, 0);
    }

    private Instant last(Instant at) {
        return notAfter(updatedAt == null ? at : updatedAt, at);
    }

    private static Instant notAfter(Instant t, Instant at) {
        return t.isAfter(at) ? at : t;
    }

    /**
     * The file's title, without what {@link Session#unfitForTitle} refuses, stripped, cut so that with
     * {@link #MARKER} it fits {@link Session#MAX_TITLE}, and marked; {@link #DEFAULT_TITLE} when it names none.
     */
    private String importedTitle() {
        if (title == null || title.isBlank()) {
            return DEFAULT_TITLE;
        }
        String t = title.codePoints().filter(c -> !Session.unfitForTitle(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (t.isEmpty()) {
            return DEFAULT_TITLE;
        }
        int room = Session.MAX_TITLE - MARKER.length();
        return (t.length() <= room ? t : t.substring(0, room).strip()) + MARKER;
    }
}
