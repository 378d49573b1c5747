package dev.tether.web.routes;

import dev.tether.config.TetherConfig;
import dev.tether.session.Attachment;
import dev.tether.session.AttachmentStore;
import dev.tether.session.AttachmentStore.SaveOutcome;
import dev.tether.session.SessionReads;
import dev.tether.web.ApiError;
import dev.tether.web.Principal;
import dev.tether.web.Quota;
import dev.tether.web.RequestLimits;
import dev.tether.web.Requests;
import dev.tether.web.dto.AttachmentView;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Uploads and attachment downloads. A client's file name is shown, never used as a path. */
record FileRoutes(SessionReads store, AttachmentStore attachments, RequestLimits limits, TetherConfig.Limits config,
                  Quota quota) {
    static final int MAX_FILENAME = 200;
    /** Room for the form's boundaries and the session_id field around the file itself. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    void upload(Context ctx) throws IOException {
        Principal who = Requests.principal(ctx);
        if (!ctx.isMultipartFormData()) {
            throw ApiError.badRequest("Send the file as multipart/form-data with fields session_id and file.");
        }
        limits.take("upload", who.owner(), config.uploadsPerMinute());
        Upload upload = readForm(ctx, who, config.maxUploadBytes());
        quota.check(who.owner(), upload.file().size());
        SaveOutcome outcome;
        try (InputStream in = upload.file().content()) {
            outcome = attachments.save(who.owner(), upload.sessionId(), displayName(upload.file().filename()),
                    mime(upload.file().contentType()), in, config.maxUploadBytes());
        }
        switch (outcome) {
            case SaveOutcome.Saved saved -> ctx.json(AttachmentView.of(saved.attachment()));
            case SaveOutcome.TooLarge t -> throw tooLarge(t.limit());
        }
    }

    private record Upload(String sessionId, UploadedFile file) {}

    /** The form's file, for a session of the caller's, at most {@code limit} bytes; a 4xx for anything else. */
    private Upload readForm(Context ctx, Principal who, long limit) {
        if (ctx.contentLength() > limit + MULTIPART_OVERHEAD) {
            throw tooLarge(limit);
        }
        String sessionId;
        UploadedFile file;
        try {
            sessionId = ctx.formParam("session_id");
            file = ctx.uploadedFile("file");
        } catch (Exception e) { // Jetty throws the checked ServletException through Kotlin code
            throw isTooLarge(e) ? tooLarge(limit) : ApiError.badRequest("The multipart body could not be read.");
        }
        if (sessionId == null || sessionId.isBlank()) {
            throw new ApiError(400, "missing_field", "'session_id' is required.");
        }
        store.findSession(who.owner(), sessionId).orElseThrow(SessionRoutes::notFound);
        if (file == null) {
            throw new ApiError(400, "missing_field", "'file' is required.");
        }
        if (file.size() > limit) {
            throw tooLarge(limit);
        }
        return new Upload(sessionId, file);
    }

    void attachment(Context ctx) throws IOException {
        Principal who = Requests.principal(ctx);
        Attachment a = attachments.find(who.owner(), Requests.query(ctx, "attachment_id"))
                .orElseThrow(() -> ApiError.notFound("attachment_not_found", "No such attachment."));
        // Only a few raster image types are shown inline; everything else downloads, so an uploaded
        // HTML or SVG file can never run script in Tether's origin.
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox");
        ctx.header("Content-Disposition", (a.isImage() ? "inline" : "attachment") + "; filename*=UTF-8''"
                + URLEncoder.encode(a.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.contentType(a.isImage() ? a.mime() : "application/octet-stream");
        ctx.result(attachments.open(a));
    }

    /** The last path segment, without control characters, at most {@value #MAX_FILENAME} characters. */
    static String displayName(String raw) {
        String name = raw == null ? "" : raw;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[\\p{Cntrl}]", "").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "file";
        }
        return name.length() > MAX_FILENAME ? name.substring(0, MAX_FILENAME) : name;
    }

    private static String mime(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        String m = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return m.matches("[a-z0-9.+-]+/[a-z0-9.+-]+") ? m : "application/octet-stream";
    }

    /** Jetty reports an oversized part as an exception somewhere in the cause chain. */
    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("max file size")) {
                return true;
            }
        }
        return false;
    }

    private static ApiError tooLarge(long limit) {
        return new ApiError(413, "file_too_large", "The file is larger than the limit of " + mebibytes(limit) + ".",
                Map.of("limit_bytes", limit));
    }

    /** "20 MiB", "1.5 MiB": the unit the browser app shows a file's size in. */
    static String mebibytes(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        return (mib == Math.rint(mib) ? String.valueOf((long) mib) : String.format(java.util.Locale.ROOT, "%.1f", mib))
                + " MiB";
    }
}
