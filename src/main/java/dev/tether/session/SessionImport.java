package dev.tether.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation brought in from an export file (Tether's own or another chat app's), as the file
 * says it; what it becomes here is decided by {@link #session} and {@link #messages}. A missing
 * title is null. Which model it runs on is the caller's choice: only the catalog knows the models.
 */
public record SessionImport(String title, boolean pinned, boolean archived, List<Entry> entries) {

    /** The title of an import whose file names none. */
    public static final String DEFAULT_TITLE = "Imported chat";

    public SessionImport {
        entries = List.copyOf(entries);
    }

    /**
     * One entry of the file's transcript. {@code content} is null when the file held something other
     * than text; {@code status} is the exported mark of a reply ({@code stopped}, {@code error},
     * {@code interrupted}) or anything else.
     */
    public record Entry(String role, String content, String reasoning, String status, String error) {

        /** Only user and assistant entries are a transcript; system prompts and tool messages are left out. */
        boolean isTranscript() {
            return Message.USER.equals(role) || Message.ASSISTANT.equals(role);
        }
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
        List<Message> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.isTranscript()) {
                Message.Mark mark = e.role().equals(Message.ASSISTANT) ? Message.Mark.named(e.status()) : null;
                out.add(new Message(out.size(), e.role(), e.content(), e.reasoning(), mark, e.error(), null,
                        List.of(), null, at));
            }
        }
        return out;
    }

    /** The new, idle session of {@code owner} with {@code messageCount} messages, using {@code model}. */
    Session session(String id, String owner, String model, int messageCount, Instant at) {
        return new Session(id, owner, importedTitle(), model, pinned, archived, at, at, messageCount == 0 ? null : at,
                null, messageCount, 0, 0, 0);
    }

    /** The file's title, without what {@link Session#unfitForTitle} refuses, stripped and cut to {@link Session#MAX_TITLE}; {@link #DEFAULT_TITLE} when it names none. */
    private String importedTitle() {
        if (title == null || title.isBlank()) {
            return DEFAULT_TITLE;
        }
        String t = title.codePoints().filter(c -> !Session.unfitForTitle(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (t.isEmpty()) {
            return DEFAULT_TITLE;
        }
        return t.length() <= Session.MAX_TITLE ? t : t.substring(0, Session.MAX_TITLE).strip();
    }
}
