package dev.tether.account;

import java.util.List;

/**
 * How an owner likes the browser app: its theme ({@link #THEMES}), its text size ({@link #FONT_SIZES})
 * and whether Enter sends (else Ctrl/⌘+Enter does). Kept per owner on the server, so every device
 * of the same person shows the same.
 */
public record Preferences(String theme, String fontSize, boolean sendOnEnter) {
    public static final List<String> THEMES = List.of("system", "light", "dark");
    public static final List<String> FONT_SIZES = List.of("small", "medium", "large");
    /** What an owner who never chose gets. */
    public static final Preferences DEFAULT = new Preferences("system", "medium", true);

    public Preferences {
        if (!THEMES.contains(theme)) {
            throw new IllegalArgumentException("theme must be one of " + String.join(", ", THEMES) + ".");
        }
        if (!FONT_SIZES.contains(fontSize)) {
            throw new IllegalArgumentException("font_size must be one of " + String.join(", ", FONT_SIZES) + ".");
        }
    }

    /** These preferences with the given ones changed; a null keeps what is set. */
    public Preferences with(String newTheme, String newFontSize, Boolean newSendOnEnter) {
        return new Preferences(newTheme == null ? theme : newTheme, newFontSize == null ? fontSize : newFontSize,
                newSendOnEnter == null ? sendOnEnter : newSendOnEnter);
    }
}
