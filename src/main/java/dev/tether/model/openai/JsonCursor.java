package dev.tether.model.openai;

/**
 * A position in one JSON text (RFC 8259) for {@link QuickChunk}: it walks the String by char
 * index and allocates nothing but the strings it returns.
 *
 * <p>Giving up is sticky: after malformed JSON, a value of the wrong type or a caller's
 * {@link #giveUp()}, every read answers false, "" or 0 and {@link #atEnd()} answers false, so a
 * caller checks once at the end instead of after every step. Values nested deeper than
 * {@link #MAX_DEPTH} give up too, so a hostile chunk cannot overflow the stack.
 *
 * <p>Threading: one text, one thread.
 */
final class JsonCursor {
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private boolean gaveUp;
    private boolean atOpening; // just after '{' or '[': no comma before the first item
    private boolean hadEscape; // whether the last string read had a backslash
    private int keyStart;
    private int keyEnd;
    private String escapedKey; // the last key decoded when it had escapes, else null

    JsonCursor(String text) {
        this.text = text;
    }

    void giveUp() {
        gaveUp = true;
    }

    /** True when no read gave up and nothing but whitespace is left. */
    boolean atEnd() {
        skipSpace();
        return !gaveUp && pos == text.length();
    }

    /** Reads '{', or gives up. */
    void openObject() {
        open('{');
    }

    /** Reads '[', or gives up. */
    void openArray() {
        open('[');
    }

    /** Reads a member's key and colon and answers true, or reads '}' and answers false. */
    boolean nextMember() {
        if (!next('}')) {
            return false;
        }
        keyStart = stringStart();
        keyEnd = pos - 1;
        escapedKey = hadEscape && keyStart >= 0 ? decode(keyStart, keyEnd) : null;
        skipSpace();
        return expect(':');
    }

    /** Whether the key read by {@link #nextMember()} is {@code name}, compared after decoding escapes. */
    boolean keyIs(String name) {
        if (escapedKey != null) {
            return escapedKey.equals(name);
        }
        return keyEnd - keyStart == name.length() && text.regionMatches(keyStart, name, 0, name.length());
    }

    /** Answers true when an array element follows, or reads ']' and answers false. */
    boolean nextElement() {
        return next(']');
    }

    /** Reads {@code null} and answers true, or reads nothing and answers false. */
    boolean isNull() {
        skipSpace();
        if (gaveUp || !text.startsWith("null", pos)) {
            return false;
        }
        pos += 4;
        return true;
    }

    /** Reads a string with its escapes decoded, or gives up and answers "". */
    String string() {
        skipSpace();
        int start = stringStart();
        return start < 0 ? "" : decode(start, pos - 1);
    }

    /** Reads an integer that fits a long (no fraction, no exponent), or gives up and answers 0. */
    long integer() {
        skipSpace();
        int start = pos;
        if (!gaveUp && number()) {
            try {
                return Long.parseLong(text, start, pos, 10);
            } catch (NumberFormatException notALong) {
                // a fraction, an exponent or beyond a long: the full reading decides
            }
        }
        gaveUp = true;
        return 0;
    }

    /** Reads any one value, checking its grammar, or gives up. */
    void skipValue() {
        skipValue(1);
    }

    private void skipValue(int depth) {
        skipSpace();
        if (gaveUp || pos == text.length() || depth > MAX_DEPTH) {
            gaveUp = true;
            return;
        }
        switch (text.charAt(pos)) {
            case '{' -> {
                open('{');
                while (nextMember()) {
                    skipValue(depth + 1);
                }
            }
            case '[' -> {
                open('[');
                while (nextElement()) {
                    skipValue(depth + 1);
                }
            }
            case '"' -> stringStart();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> gaveUp |= !number();
        }
    }

    private void open(char bracket) {
        skipSpace();
        expect(bracket);
        atOpening = true;
    }

    /** Reads the closing bracket and answers false, or the comma (none before the first item) and answers true. */
    private boolean next(char close) {
        skipSpace();
        boolean first = atOpening;
        atOpening = false;
        if (gaveUp) {
            return false;
        }
        if (pos < text.length() && text.charAt(pos) == close) {
            pos++;
            return false;
        }
        if (!first && !expect(',')) {
            return false;
        }
        skipSpace();
        return true;
    }

    private void literal(String word) {
        if (text.startsWith(word, pos)) {
            pos += word.length();
        } else {
            gaveUp = true;
        }
    }

    /** Reads a whole string, checking it, and answers where its content starts; -1 when malformed. */
    private int stringStart() {
        if (!expect('"')) {
            return -1;
        }
        int start = pos;
        hadEscape = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return start;
            } else if (c == '\\') {
                int length = escapeLength(i);
                if (length < 0) {
                    break;
                }
                hadEscape = true;
                i += length - 1;
            } else if (c < 0x20) {
                break; // JSON wants control characters escaped
            }
        }
        gaveUp = true;
        return -1;
    }

    /** The length of the valid escape starting at the backslash at {@code i}, or -1. */
    private int escapeLength(int i) {
        if (i + 1 >= text.length()) {
            return -1;
        }
        return switch (text.charAt(i + 1)) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> 2;
            case 'u' -> i + 6 <= text.length() && hex4(i + 2) >= 0 ? 6 : -1;
            default -> -1;
        };
    }

    /** The content between {@code start} and {@code end} with escapes decoded; {@link #stringStart()} checked it. */
    private String decode(int start, int end) {
        if (!hadEscape) {
            return text.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start);
        int run = start;
        for (int i = text.indexOf('\\', start, end); i >= 0; i = text.indexOf('\\', run, end)) {
            out.append(text, run, i);
            char e = text.charAt(i + 1);
            out.append(switch (e) {
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> (char) hex4(i + 2); // a pair's halves are two escapes, one UTF-16 unit each
                default -> e; // '"', '\\' or '/'
            });
            run = i + (e == 'u' ? 6 : 2);
        }
        return out.append(text, run, end).toString();
    }

    private int hex4(int i) {
        int value = 0;
        for (int k = i; k < i + 4; k++) {
            char c = text.charAt(k);
            int digit = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Reads a number per the JSON grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private boolean number() {
        skipIf('-');
        int intStart = pos;
        if (!skipDigits() || (pos - intStart > 1 && text.charAt(intStart) == '0')) {
            return false;
        }
        if (skipIf('.') && !skipDigits()) {
            return false;
        }
        if (skipIf('e') || skipIf('E')) {
            if (!skipIf('+')) {
                skipIf('-');
            }
            return skipDigits();
        }
        return true;
    }

    private boolean skipDigits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private boolean skipIf(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean expect(char c) {
        if (!gaveUp && skipIf(c)) {
            return true;
        }
        gaveUp = true;
        return false;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }
}
