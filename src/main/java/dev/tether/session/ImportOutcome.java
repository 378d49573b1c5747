package dev.tether.session;

/** What importing an export file did. */
public sealed interface ImportOutcome {

    /** A new session holds the file's transcript. */
    record Imported(Session session) implements ImportOutcome {}

    /** Nothing was written: the file does not describe a transcript ({@code reason} says why). */
    record Refused(String reason) implements ImportOutcome {}
}
