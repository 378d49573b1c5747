package dev.tether.session;

import java.util.List;

/** Fields a user may change on a session; null means unchanged. {@code tools}: the enabled tools' ids. */
public record SessionPatch(String title, Boolean pinned, Boolean archived, String model, List<String> tools) {

    public SessionPatch(String title, Boolean pinned, Boolean archived, String model) {
        this(title, pinned, archived, model, null);
    }
}
