package dev.tether.store.migrate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A table's row count and SHA-256 over its rows in key order, each value in its kind's canonical
 * text: the same rows give the same digest whichever database they were read from. Each value is
 * written as a marker byte (null or not) and, if not null, its length and UTF-8 bytes, so no two
 * different rows can run together into the same bytes. Not thread-safe: one reader feeds it.
 */
final class TableDigest {
    private final Table table;
    private final MessageDigest sha;
    private final ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
    private long rows;

    TableDigest(Table table) {
        this.table = table;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Adds one row, its values in the table's column order. */
    void add(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                sha.update((byte) 0);
                continue;
            }
            byte[] text = table.columns().get(i).kind().canonical(values[i]).getBytes(StandardCharsets.UTF_8);
            sha.update((byte) 1);
            sha.update(length.clear().putInt(text.length).array());
            sha.update(text);
        }
        rows++;
    }

    /** The count and digest of the rows added; ends this digest. */
    Summary summary() {
        return new Summary(rows, HexFormat.of().formatHex(sha.digest()));
    }

    /** What was read of one table on one side. */
    record Summary(long rows, String sha256) {}
}
