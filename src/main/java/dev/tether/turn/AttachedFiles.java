package dev.tether.turn;

import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How attachments reach the model: small text files are quoted in full, anything else is named
 * (the OpenAI-compatible wire of this version sends text only).
 */
final class AttachedFiles {
    static final int MAX_QUOTED_BYTES = 64 * 1024;

    private AttachedFiles() {}

    static String describe(AttachmentStore store, String owner, List<String> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Attachment a : store.findAll(owner, ids)) {
            sb.append("\n\n[Attached file: ").append(a.filename()).append(" (").append(a.mime()).append(", ")
                    .append(a.size()).append(" bytes)]");
            if (isText(a) && a.size() <= MAX_QUOTED_BYTES) {
                try (InputStream in = store.open(a)) {
                    sb.append("\n```\n").append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append("\n```");
                } catch (IOException e) {
                    sb.append(" (its content could not be read)");
                }
            }
        }
        return sb.toString();
    }

    private static boolean isText(Attachment a) {
        return a.mime().startsWith("text/") || a.mime().equals("application/json")
                || a.mime().equals("application/xml") || a.mime().equals("application/x-yaml");
    }
}
