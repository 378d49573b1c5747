package dev.tether.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Reading what a request says, with a clear 4xx for anything missing or malformed. */
public final class Requests {
    public static final String PRINCIPAL = "tether.principal";

    private Requests() {}

    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new ApiError(401, "unauthenticated", "Log in first.");
        }
        return p;
    }

    public static JsonBody json(Context ctx, ObjectMapper mapper, long maxBytes) {
        if (ctx.contentLength() > maxBytes) {
            throw new ApiError(413, "body_too_large", "The request body is larger than " + maxBytes + " bytes.");
        }
        return JsonBody.parse(mapper, ctx.body());
    }

    public static String query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw new ApiError(400, "missing_parameter", "The query parameter '" + name + "' is required.");
        }
        return v;
    }

    public static int queryInt(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new ApiError(400, "bad_parameter", "'" + name + "' must be between " + min + " and " + max + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiError(400, "bad_parameter", "'" + name + "' must be a whole number.");
        }
    }

    public static boolean queryFlag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }
}
