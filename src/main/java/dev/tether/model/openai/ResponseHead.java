package dev.tether.model.openai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response's status line and header fields, read as RFC 9110 and 9112 say: field lines with the
 * same name are one field, their values joined with {@code ", "} in order (never first-wins or
 * last-wins); a folded line ({@code obs-fold}) continues the previous value after a space.
 *
 * <p>The framing fields are checked here, since a mistake in them makes the body, and anything the
 * connection carries next, wrong: {@code Content-Length} values that differ are an error (9110
 * §8.6), identical repeats count once; {@code Transfer-Encoding} overrides {@code Content-Length}
 * and then the connection is not reused (9112 §6.3); a transfer coding other than {@code chunked}
 * is refused, since nothing here decodes it.
 */
final class ResponseHead {

    /** How the body is delimited. */
    enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private final String version;
    private final int status;
    private final Map<String, List<String>> fields;

    private ResponseHead(String version, int status, Map<String, List<String>> fields) {
        this.version = version;
        this.status = status;
        this.fields = fields;
    }

    /** Parses a head up to and including its blank line (ISO-8859-1, CRLF or LF line ends). */
    static ResponseHead parse(String head) throws IOException {
        String[] lines = head.split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("the provider did not answer in HTTP/1.x: " + ProviderFaults.truncate(lines[0]));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the provider sent a bad status line: " + ProviderFaults.truncate(lines[0]), e);
        }
        Map<String, List<String>> fields = new HashMap<>();
        List<String> last = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                last.set(last.size() - 1, (last.getLast() + " " + line.strip()).strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                last = fields.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>(1));
                last.add(line.substring(colon + 1).strip());
            }
        }
        return new ResponseHead(statusLine[0], status, fields);
    }

    int status() {
        return status;
    }

    /** The field's value, its field lines joined with {@code ", "}; {@code fallback} when absent. */
    String header(String name, String fallback) {
        List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
        return values == null ? fallback : String.join(", ", values);
    }

    /** Whether the field's comma-separated list holds {@code token} (case-insensitive). */
    boolean hasToken(String name, String token) {
        return tokens(name).contains(token);
    }

    /** The connection may carry another request after this response (the framing may still say no). */
    boolean keepsAlive() {
        return version.equals("HTTP/1.1") && !hasToken("connection", "close");
    }

    /** How the body of a response to {@code method} is delimited; an error for framing that cannot be trusted. */
    Framing framing(String method) throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
            return Framing.NONE;
        }
        List<String> codings = tokens("transfer-encoding");
        codings.removeIf(c -> c.equals("identity"));
        if (!codings.isEmpty()) {
            if (!version.equals("HTTP/1.1")) {
                throw new IOException("the provider sent Transfer-Encoding in an " + version + " response");
            }
            if (codings.size() > 1 || !codings.getFirst().equals("chunked")) {
                throw new IOException("the provider sent a transfer coding Tether does not decode: "
                        + ProviderFaults.truncate(header("transfer-encoding", "")));
            }
            return Framing.CHUNKED;
        }
        return contentLength() >= 0 ? Framing.LENGTH : Framing.UNTIL_CLOSE;
    }

    /** Whether the head had both framing fields: the body follows the chunks, the connection is not reused. */
    boolean hasConflictingFraming() {
        return fields.containsKey("transfer-encoding") && fields.containsKey("content-length");
    }

    /** The body's length, or -1 without {@code Content-Length}; repeated equal values count once. */
    long contentLength() throws IOException {
        List<String> values = tokens("content-length");
        if (values.isEmpty()) {
            return fields.containsKey("content-length") ? bad("") : -1;
        }
        long length = -1;
        for (String value : values) {
            long v;
            if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return bad(header("content-length", ""));
            }
            v = Long.parseLong(value);
            if (length >= 0 && v != length) {
                throw new IOException("the provider sent conflicting Content-Length values: "
                        + ProviderFaults.truncate(header("content-length", "")));
            }
            length = v;
        }
        return length;
    }

    private static long bad(String value) throws IOException {
        throw new IOException("the provider sent a bad Content-Length: " + ProviderFaults.truncate(value));
    }

    /** The field's list elements, lower case, without parameters or empty elements. */
    private List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (String value : fields.getOrDefault(name, List.of())) {
            for (String element : value.split(",")) {
                int semicolon = element.indexOf(';');
                String token = (semicolon < 0 ? element : element.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    out.add(token);
                }
            }
        }
        return out;
    }
}
