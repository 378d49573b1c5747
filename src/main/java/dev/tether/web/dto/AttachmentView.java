package dev.tether.web.dto;

import dev.tether.session.Attachment;

/** An attachment on the wire (upload answer, and on messages). */
public record AttachmentView(String attachmentId, String filename, long size, String mime, boolean isImage) {
    public static AttachmentView of(Attachment a) {
        return new AttachmentView(a.id(), a.filename(), a.size(), a.mime(), a.isImage());
    }
}
