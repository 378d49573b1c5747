package dev.tether.model.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo model says: a fixed template filled in from the user's message, so the same message
 * always gets the same reply. It opens by saying it is a demo, then shows what the UI renders:
 * emphasis, a quote, a list, inline code and a fenced code block.
 *
 * <p>Pure functions, no state.
 */
final class DemoReply {

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+\\s*");
    private static final int QUOTED_WORDS = 24;
    private static final int CODE_WORDS = 6;

    private DemoReply() {}

    static String reasoning(String message) {
        return "The message has " + plural(words(message).size(), "word")
                + ". I am the offline demo, so I will describe it with my usual template.";
    }

    /** The opening of the reply that {@code /demo error} cuts short. */
    static String failureOpening() {
        return "**This is Tether's demo model, not an LLM.** Simulating a provider failure, "
                + "as `/demo error` asked";
    }

    static String text(String message, boolean usedTool) {
        List<String> words = words(message);
        StringBuilder out = new StringBuilder()
                .append("**This is Tether's demo model, not an LLM.** It runs offline and fills a fixed ")
                .append("template from your message, so the whole interface works without a provider.\n\n");
        if (words.isEmpty()) {
            out.append("You sent an empty message.\n\n");
        } else {
            out.append("You wrote:\n\n> ").append(quote(words)).append("\n\n");
        }
        out.append("A few things about your message:\n\n")
                .append("- It has **").append(plural(words.size(), "word")).append("** and **")
                .append(plural(message.strip().length(), "character")).append("**.\n");
        if (!words.isEmpty()) {
            out.append("- Its longest word is `").append(codeSafe(longest(words))).append("`.\n")
                    .append(mostFrequent(words));
        }
        if (usedTool) {
            out.append("- The `count_words` tool above counted them, to show how tool calls look.\n");
        }
        List<String> opening = words.subList(0, Math.min(CODE_WORDS, words.size()));
        return out.append("\n```java\n// A fenced block, to show code highlighting.\n")
                .append("String opening = \"").append(javaString(opening)).append("\";\n")
                .append("int words = opening.split(\"\\\\s+\").length; // ").append(opening.size()).append("\n```\n\n")
                .append("To talk to a real model, set `TETHER_OPENAI_BASE_URL`. Send `/demo tool`, ")
                .append("`/demo error` or `/demo slow` to see the other paths.")
                .toString();
    }

    /** Word-sized pieces that concatenate back to exactly {@code text}. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    static List<String> words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
    }

    /** The first words on one line; a fence in them would swallow the rest of the reply. */
    private static String quote(List<String> words) {
        String quoted = String.join(" ", words.subList(0, Math.min(QUOTED_WORDS, words.size())))
                .replace("```", "'''");
        return words.size() > QUOTED_WORDS ? quoted + " …" : quoted;
    }

    private static String longest(List<String> words) {
        String longest = words.getFirst();
        for (String w : words) {
            if (w.length() > longest.length()) {
                longest = w;
            }
        }
        return longest;
    }

    /** A list line naming the most repeated word, or none; ties go to the word seen first. */
    private static String mostFrequent(List<String> words) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        words.forEach(w -> counts.merge(w.toLowerCase(), 1, Integer::sum));
        String best = null;
        for (var e : counts.entrySet()) {
            if (best == null || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return counts.get(best) < 2 ? "- No word appears twice.\n"
                : "- Its most frequent word is `" + codeSafe(best) + "` (" + counts.get(best) + " times).\n";
    }

    /** A backtick would end the inline code span early. */
    private static String codeSafe(String word) {
        String safe = word.replace("`", "'");
        return safe.codePointCount(0, safe.length()) > 40
                ? safe.substring(0, safe.offsetByCodePoints(0, 40)) + "…" : safe;
    }

    private static String javaString(List<String> words) {
        return String.join(" ", words.stream().map(DemoReply::codeSafe).toList())
                .replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
