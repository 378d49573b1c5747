package dev.tether.web.routes;

import dev.tether.session.Message;
import dev.tether.session.Session;
import java.util.List;

/** A session as a readable Markdown document. */
final class SessionMarkdown {
    private SessionMarkdown() {}

    static String render(Session s, List<Message> messages) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(s.title()).append("\n\n");
        md.append("_Exported from Tether. Model: ").append(s.model()).append(". Created ")
                .append(s.createdAt()).append("._\n");
        for (Message m : messages) {
            md.append("\n## ").append(m.role().equals(Message.USER) ? "You" : "Assistant");
            if (m.mark() != null) {
                md.append(" (").append(m.mark().wire()).append(")");
            }
            md.append(" · ").append(m.createdAt()).append("\n\n");
            md.append(m.content().isEmpty() ? "_(no text)_" : m.content()).append("\n");
            if (m.error() != null) {
                md.append("\n> ").append(m.error()).append("\n");
                if (m.hint() != null) {
                    md.append(">\n> ").append(m.hint()).append("\n");
                }
            }
        }
        return md.toString();
    }
}
