package dev.tether.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads Server-Sent Events from a byte stream: {@code data:} lines joined until a blank line,
 * {@code event:} names, {@code :} comments skipped, CRLF or LF line ends. Lines are decoded as UTF-8
 * only once complete, so a character split across network reads stays intact.
 *
 * <p>A line or an event longer than {@code maxBytes} is a {@link TooLarge} error rather than an
 * ever-growing buffer: a provider that never sends a newline must not exhaust memory.
 *
 * <p>Threading: one reading thread. {@code onRead} runs after every successful read so a watchdog
 * can tell a silent provider from a slow, long line.
 */
final class SseReader {

    /** One dispatched event; {@code name} is {@code "message"} unless the stream named it. */
    record Event(String name, String data) {}

    static final class TooLarge extends IOException {
        TooLarge(int maxBytes) {
            super("an event-stream line or event exceeded " + maxBytes + " bytes");
        }
    }

    private final InputStream in;
    private final Runnable onRead;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private IOException failure; // a read that failed after complete data lines; thrown by the next call

    SseReader(InputStream in, Runnable onRead, int maxBytes) {
        this.in = in;
        this.onRead = onRead;
        this.maxBytes = maxBytes;
    }

    /**
     * Returns the next event, or null at the end of the stream. When the stream fails (a reset)
     * after complete data lines of an event, that event is returned first and the failure is
     * thrown by the next call: those lines arrived whole, as they do before a clean end.
     */
    Event next() throws IOException {
        if (failure != null) {
            IOException e = failure;
            failure = null;
            throw e;
        }
        String single = null;      // the usual event has one data line: no builder, no copies
        StringBuilder data = null; // only for events of several data lines
        String name = "message";
        String text;
        while ((text = nextLine(single != null || data != null)) != null) {
            if (text.isEmpty()) {
                if (single != null || data != null) {
                    return new Event(name, data != null ? data.toString() : single);
                }
                name = "message";
                continue;
            }
            if (text.startsWith(":")) {
                continue;
            }
            boolean isData = text.startsWith("data:") || text.equals("data"); // "data" alone: an empty line
            if (isData) {
                String value = text.length() > 5 ? stripOneSpace(text.substring(5)) : "";
                if (single == null && data == null) {
                    single = value;
                } else {
                    if (data == null) {
                        data = new StringBuilder(single);
                    }
                    data.append('\n').append(value);
                    if (data.length() > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                }
            } else if (text.startsWith("event:") || text.equals("event")) {
                name = text.length() > 6 ? stripOneSpace(text.substring(6)) : "";
            }
        }
        // The spec drops an unterminated event; providers that close right after their last
        // "data:" line are common enough that keeping it is the kinder reading.
        return single == null && data == null ? null : new Event(name, data != null ? data.toString() : single);
    }

    /** The next line; with {@code pending} data, a failed read ends the event and is kept for later. */
    private String nextLine(boolean pending) throws IOException {
        try {
            return readLine();
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            if (!pending) {
                throw e;
            }
            failure = e;
            return null;
        }
    }

    private static String stripOneSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** Returns the next line without its line end, or null at the end of the stream. */
    private String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return lineLength == 0 ? null : decodeLine();
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            append(buffer, position, end - position);
            if (end < limit) {
                position = end + 1;
                return decodeLine();
            }
            position = limit;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        onRead.run();
        position = 0;
        limit = n;
        return true;
    }

    private void append(byte[] bytes, int from, int length) throws TooLarge {
        if (lineLength + length > line.length) {
            if (lineLength + length > maxBytes) {
                throw new TooLarge(maxBytes);
            }
            line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    private String decodeLine() {
        int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }
}
