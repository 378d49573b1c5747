package dev.tether.torture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Requests every JSON route must refuse: each case is a valid request with exactly one thing made
 * wrong (malformed or non-object JSON, a field of the wrong type, a missing required field, an
 * unknown or hostile id, a value out of range, an oversize body), plus junk fields that must be
 * ignored. Bodies are written by hand so they can carry what a JSON library would refuse to write:
 * lone surrogates, NUL, raw invalid UTF-8.
 */
final class FuzzCases {

    /** One request and the status class it must get: a specific 4xx, or any 4xx when {@code status} is 0. */
    record Case(String method, String path, byte[] body, int status, String what) {}

    enum Type { STRING, BOOL, INT, STRINGS }

    record Field(String name, Type type, boolean required, boolean id) {}

    record Route(String path, List<Field> fields) {}

    /** Strings no id could be; also used as junk values. */
    static final List<String> HOSTILE = List.of("\uD800", "\uDC00", "a\uD83D", "\u0000", "nul\u0000inside",
            "\u202Eevil\u202C", "😀".repeat(500), "\uFEFF", "\uFFFF\uFFFE", "e\u0301\u0301\u0301", "../../../etc/passwd",
            "' OR 1=1 --", "<script>alert(1)</script>", "%00", "\\", "\"", "x".repeat(10_000), "\n\r\t",
            "\u2028\u2029", "𝕏", "C:\\Windows\\system32", "${jndi:ldap://x}", "null", "-1");

    private final Random random;
    private final List<Route> routes;
    private final Map<String, String> realIds;

    /** {@code realIds}: field name → an id that exists (so validation after the lookup is reached too). */
    FuzzCases(Random random, Map<String, String> realIds) {
        this.random = random;
        this.realIds = realIds;
        Field sessionId = new Field("session_id", Type.STRING, true, true);
        this.routes = List.of(
                new Route("/api/session/new", List.of(new Field("title", Type.STRING, false, false),
                        new Field("model", Type.STRING, false, false))),
                new Route("/api/session/update", List.of(sessionId, new Field("title", Type.STRING, false, false),
                        new Field("pinned", Type.BOOL, false, false), new Field("archived", Type.BOOL, false, false),
                        new Field("model", Type.STRING, false, false))),
                new Route("/api/session/rename", List.of(sessionId, new Field("title", Type.STRING, true, false))),
                new Route("/api/session/delete", List.of(sessionId)),
                new Route("/api/chat/cancel", List.of(new Field("stream_id", Type.STRING, true, true))),
                new Route("/api/chat/start", List.of(sessionId, new Field("message", Type.STRING, true, false),
                        new Field("model", Type.STRING, false, false), new Field("client_message_id", Type.STRING, false, false),
                        new Field("queue", Type.BOOL, false, false), new Field("regenerate", Type.BOOL, false, false),
                        new Field("edit_index", Type.INT, false, false),
                        new Field("expected_message_count", Type.INT, false, false),
                        new Field("attachments", Type.STRINGS, false, false))));
    }

    Case next() {
        int kind = random.nextInt(100);
        if (kind < 6) {
            return importCase();
        }
        Route route = routes.get(random.nextInt(routes.size()));
        if (kind < 20) {
            return malformed(route);
        }
        if (kind < 26) {
            return post(route.path(), NOT_OBJECTS.get(random.nextInt(NOT_OBJECTS.size())), 400, "not an object");
        }
        if (kind < 30) {
            Map<String, String> body = template(route);
            body.put("junk", quote("y".repeat(70_000)));
            return post(route.path(), object(body), 413, "oversize body");
        }
        return fieldCase(route);
    }

    private static final List<String> NOT_OBJECTS = List.of("[]", "[{}]", "\"text\"", "42", "true", "null", "-0.5e3",
            "[1,2,3]", "\"\\ud800\"");

    /** A valid body for the route (real ids, a plain message), as field name → JSON text. */
    private Map<String, String> template(Route route) {
        Map<String, String> body = new LinkedHashMap<>();
        for (Field f : route.fields()) {
            if (f.id()) {
                body.put(f.name(), quote(realIds.get(f.name())));
            } else if (f.required()) {
                body.put(f.name(), quote("hello " + random.nextInt(1000)));
            }
        }
        if (random.nextBoolean()) {
            body.put("unknown_" + random.nextInt(100), junk());
        }
        return body;
    }

    private Case malformed(Route route) {
        String json = object(template(route));
        String broken = switch (random.nextInt(6)) {
            case 0 -> json.substring(0, 1 + random.nextInt(json.length() - 1));
            case 1 -> json.replaceFirst(":", "");
            case 2 -> json.replace("}", ",}");
            case 3 -> "{'single': 'quotes'}";
            case 4 -> "{\"a\": NaN, " + json.substring(1);
            default -> json.substring(0, json.length() - 1) + ", \"deep\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        };
        if (parsesAsObject(broken)) {
            broken = json + "{";
        }
        return post(route.path(), broken, 400, "malformed JSON");
    }

    private Case fieldCase(Route route) {
        Map<String, String> body = template(route);
        Field f = route.fields().get(random.nextInt(route.fields().size()));
        int what = random.nextInt(4);
        if (what == 0 && f.required()) {
            body.remove(f.name());
            return post(route.path(), object(body), 400, "missing " + f.name());
        }
        if (what == 1 && f.required()) {
            body.put(f.name(), "null");
            return post(route.path(), object(body), 400, "null " + f.name());
        }
        if (what == 2 && f.id()) {
            body.put(f.name(), quote(HOSTILE.get(random.nextInt(HOSTILE.size()))));
            return post(route.path(), object(body), 404, "unknown " + f.name());
        }
        if (what == 3) {
            Case bad = badValue(route, f, body);
            if (bad != null) {
                return bad;
            }
        }
        body.put(f.name(), wrongType(f.type()));
        return post(route.path(), object(body), 400, "wrong type of " + f.name());
    }

    /** A value of the right type that the route must still refuse. */
    private Case badValue(Route route, Field f, Map<String, String> body) {
        return switch (f.name()) {
            case "message" -> random.nextBoolean()
                    ? post(route.path(), object(with(body, f.name(), quote(" \n\t "))), 400, "blank message")
                    : post(route.path(), object(with(body, f.name(), quote("m".repeat(2001)))), 413, "long message");
            case "title" -> post(route.path(), object(with(body, f.name(), quote("t".repeat(201)))), 400, "long title");
            case "model" -> post(route.path(), object(with(body, f.name(), quote(HOSTILE.get(random.nextInt(HOSTILE.size()))))),
                    400, "unknown model");
            case "edit_index", "expected_message_count" -> post(route.path(), object(with(body, f.name(), "-1")), 400,
                    "negative " + f.name());
            case "client_message_id" -> post(route.path(), object(with(body, f.name(), quote(random.nextBoolean() ? ""
                    : "c".repeat(201)))), 400, "bad client_message_id");
            case "attachments" -> post(route.path(), object(with(body, f.name(), "[" + quote("no-such-attachment") + "]")),
                    400, "unknown attachment");
            case "regenerate" -> post(route.path(), object(with(with(body, "regenerate", "true"), "edit_index", "0")), 400,
                    "regenerate and edit_index");
            default -> null;
        };
    }

    private String wrongType(Type type) {
        List<String> options = switch (type) {
            case STRING -> List.of("42", "true", "[\"a\"]", "{\"a\":1}", "1.5", "-0");
            case BOOL -> List.of("\"true\"", "1", "0", "[]", "{}", "\"yes\"");
            case INT -> List.of("\"3\"", "1.5", "1e30", "99999999999", "true", "[1]", "{}", "1.0");
            case STRINGS -> List.of("\"a\"", "42", "[1, 2]", "[null]", "{\"0\":\"a\"}", "[[\"a\"]]", "true");
        };
        return options.get(random.nextInt(options.size()));
    }

    private Case importCase() {
        List<String> bodies = List.of("{\"messages\": \"nope\"}", "{}", "{\"messages\": {\"0\": {}}}",
                "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", "{\"messages\": [{\"role\": \"user\", \"content\": {}}]}",
                "{\"format\": \"tether-session\", \"session\": 5}", "[]", "{\"messages\": [", "{\"messages\": null}");
        return post("/api/session/import", bodies.get(random.nextInt(bodies.size())), 400, "bad import");
    }

    private String junk() {
        return switch (random.nextInt(5)) {
            case 0 -> quote(HOSTILE.get(random.nextInt(HOSTILE.size())));
            case 1 -> "[" + quote("\u0000") + ", {\"a\": [null, 1e308]}]";
            case 2 -> "-1e-400";
            case 3 -> "{\"__proto__\": {\"admin\": true}}";
            default -> "null";
        };
    }

    private static boolean parsesAsObject(String text) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = Http.JSON.readTree(text);
            return n != null && n.isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Map<String, String> with(Map<String, String> body, String field, String json) {
        Map<String, String> out = new LinkedHashMap<>(body);
        out.put(field, json);
        return out;
    }

    private static String object(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> parts.add(quote(k) + ": " + v));
        return "{" + String.join(", ", parts) + "}";
    }

    /** A JSON string literal; everything outside printable ASCII as \\u escapes (lone surrogates too). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20 || ch > 0x7e) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private static Case post(String path, String body, int status, String what) {
        boolean notText = status != 413 && hasLoneSurrogate(body);
        return new Case("POST", path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), notText ? 400 : status,
                notText ? what + ", with a lone surrogate" : what);
    }

    /** Text with an unpaired surrogate is not text: the whole body is refused before anything else. */
    private static boolean hasLoneSurrogate(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = Http.JSON.readTree(body);
            return root != null && root.isObject() && hasLoneSurrogate(root);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean hasLoneSurrogate(com.fasterxml.jackson.databind.JsonNode n) {
        if (n.isTextual()) {
            String s = n.textValue();
            for (int i = 0; i < s.length(); i++) {
                if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (hasLoneSurrogate(Http.JSON.getNodeFactory().textNode(e.getKey())) || hasLoneSurrogate(e.getValue())) {
                return true;
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode item : n.isArray() ? n : Http.JSON.createArrayNode()) {
            if (hasLoneSurrogate(item)) {
                return true;
            }
        }
        return false;
    }
}
