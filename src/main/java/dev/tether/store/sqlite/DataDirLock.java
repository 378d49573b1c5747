package dev.tether.store.sqlite;

import dev.tether.config.CannotStart;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data dir belongs to one process: an exclusive lock on {@code tether.lock} in it, taken before
 * anything reads or writes the store. Boot recovery ends every turn the store holds as running, so
 * a second process on the same files would end the first one's live turns. The OS releases the
 * lock when the holder dies, however it dies; the file itself stays (deleting it would let a
 * process that opened the old file and one that created a new one both "hold" a lock). The holder
 * writes its PID into the file so that a refused process can say who has the dir.
 *
 * <p>Threading: the lock is the OS's. {@code HELD} guards this JVM: the OS lock belongs to the
 * process, and closing any other channel on the file in this process would drop it, so a second
 * acquire here is refused from {@code HELD} without opening the file.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE = "tether.lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data dir (creating it if needed).
     *
     * @throws InUse another process holds it (the message names its PID)
     * @throws CannotStart the dir cannot be created or locked
     */
    public static DataDirLock acquire(Path dataDir) {
        Path dir;
        try {
            Files.createDirectories(dataDir);
            dir = dataDir.toRealPath();
            OwnerOnly.restrict(dir, "rwx------"); // conversations, attachments and login hashes live here
        } catch (IOException e) {
            throw new CannotStart("cannot create the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        if (!HELD.add(dir)) {
            throw new InUse(dir, "this process (PID " + ProcessHandle.current().pid() + ")");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String pid = holder(channel);
                throw new InUse(dir, pid.isEmpty() ? "another process" : "PID " + pid);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirLock(dir, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(dir);
            if (e instanceof CannotStart refused) {
                throw refused;
            }
            throw new CannotStart("cannot lock the data dir " + dir + " (" + dir.resolve(FILE) + "): " + e, e);
        }
    }

    /** Another process (or another Tether in this one) holds the dir. */
    public static final class InUse extends CannotStart {
        InUse(Path dir, String holder) {
            super("data dir " + dir + " is in use by " + holder + " (another Tether running?)");
        }
    }

    /** The PID the holder wrote; empty if it has not written it yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was held through it
            }
        }
    }

    /** Empties the PID (the file stays) and releases the lock. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return; // released already; HELD may name another holder of this dir by now
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases the lock all the same
        } finally {
            closeQuietly(channel);
            HELD.remove(dir);
        }
    }
}
