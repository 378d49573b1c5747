package dev.tether.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

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

    /** Bodies up to this size are read to their end before a 413, so the answer is not lost to a reset. */
    static final long DRAIN_LIMIT = 32L * 1024 * 1024;

    public static JsonBody json(Context ctx, ObjectMapper mapper, long maxBytes) {
        if (ctx.contentLength() > maxBytes) {
            discardBody(ctx);
            throw tooLarge(maxBytes);
        }
        if (ctx.bodyAsBytes().length > maxBytes) { // a chunked body declares no length
            throw tooLarge(maxBytes);
        }
        return JsonBody.parse(mapper, ctx.body());
    }

    private static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "body_too_large", "The request body is larger than " + maxBytes + " bytes.");
    }

    /**
     * Reads and drops an unwanted body. Closing a connection with unread bytes makes the kernel
     * reset it, and the client then loses the answer already sent; beyond {@link #DRAIN_LIMIT} the
     * connection is closed anyway.
     */
    private static void discardBody(Context ctx) {
        ctx.header("Connection", "close");
        if (ctx.contentLength() > DRAIN_LIMIT) {
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
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
