package dev.tether.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Reads a request's JSON object body of at most {@code maxBytes}, or answers 400/413 (see {@link Requests#json}). */
public record BodyReader(ObjectMapper json, long maxBytes) {

    public JsonBody read(Context ctx) {
        return Requests.json(ctx, json, maxBytes);
    }
}
