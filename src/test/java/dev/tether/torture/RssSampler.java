package dev.tether.torture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the server's resident memory (VmRSS from {@code /proc/<pid>/status}) once a second and
 * keeps the highest value seen. A process that is being restarted is skipped.
 *
 * <p>Threading: one daemon thread samples; the maximum is an atomic.
 */
final class RssSampler implements AutoCloseable {
    private final Target target;
    private final AtomicLong maxKb = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;

    RssSampler(Target target) {
        this.target = target;
        this.thread = Thread.ofPlatform().daemon().name("torture-rss").start(this::loop);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            if (target.isUp()) {
                long kb = rssKb(target.pid());
                if (kb > 0) {
                    maxKb.accumulateAndGet(kb, Math::max);
                    samples.incrementAndGet();
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone (a kill) or /proc is not there
        }
        return -1;
    }

    long maxMb() {
        return maxKb.get() / 1024;
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
