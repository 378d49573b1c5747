package dev.tether.store.migrate;

import java.nio.file.Path;
import java.util.List;

/** How a migration that ran ended: committed with every table verified, or rolled back on a mismatch. */
public sealed interface MigrationOutcome {
    List<TableResult> tables();

    /**
     * Committed; every table's count and digest matched. {@code attachmentFiles} of the copied
     * attachments' files are in {@code attachmentDir}, {@code missingFiles} are not (they were missing
     * on SQLite too: the files are not moved).
     */
    record Verified(List<TableResult> tables, Path attachmentDir, long attachmentFiles, long missingFiles)
            implements MigrationOutcome {}

    /** A table read back from PostgreSQL differs from SQLite's; the transaction was rolled back. */
    record Mismatch(List<TableResult> tables, TableResult first) implements MigrationOutcome {}
}
