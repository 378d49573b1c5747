package dev.tether.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the virtual clients saw, kept for the global checks: what the server accepted, what
 * it deleted, what each subscriber received, and every violation found on the way. Times are
 * {@link #now()}: milliseconds on a monotonic clock.
 *
 * <p>Threading: every collection is concurrent; clients add, the checker reads after they stop
 * (or, for a kill snapshot, reads what was answered before the kill).
 */
final class Ledger {
    private static final long START = System.nanoTime();
    private static final int MAX_VIOLATIONS_KEPT = 200;

    /** A user message the server answered 200 (started) or 202 (queued) for. */
    record Accepted(String sessionId, String content, String clientMessageId, String turnId, boolean queued,
                    long sentAt, long answeredAt) {}

    /** A successful edit: it may remove user messages accepted before it was answered. */
    record Edit(String sessionId, long answeredAt) {}

    final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    final Queue<Edit> edits = new ConcurrentLinkedQueue<>();
    final Queue<SseRun.Result> runs = new ConcurrentLinkedQueue<>();
    /** Session id → when its delete was answered. */
    final Map<String, Long> deleted = new ConcurrentHashMap<>();
    /** Sessions whose delete got no answer (a kill): they may or may not be gone. */
    final Queue<String> maybeDeleted = new ConcurrentLinkedQueue<>();
    /** client_message_id → the turn (or queued entry) every success answer for it named. */
    final Map<String, String> answersByClientId = new ConcurrentHashMap<>();
    /** Turn id → session id, for every turn a start answered. */
    final Map<String, String> turns = new ConcurrentHashMap<>();
    /** Turns a cancel answered {@code cancelled:true} for. */
    final Queue<String> cancelled = new ConcurrentLinkedQueue<>();
    /** Turn id → the terminal_state a status answer reported. */
    final Map<String, String> reportedTerminal = new ConcurrentHashMap<>();
    /** Turn id → the highest seq any subscriber received (for cursors that must be usable). */
    final Map<String, Long> maxSeenSeq = new ConcurrentHashMap<>();

    private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder violationCount = new LongAdder();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();

    static long now() {
        return (System.nanoTime() - START) / 1_000_000;
    }

    void op(String name) {
        ops.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    void request() {
        requests.increment();
    }

    void violation(String what) {
        violationCount.increment();
        String line = "[" + now() + " ms] " + what;
        if (violations.size() < MAX_VIOLATIONS_KEPT) {
            violations.add(line);
        }
        System.err.println("TORTURE VIOLATION " + line);
    }

    long violationCount() {
        return violationCount.sum();
    }

    List<String> violations() {
        return new ArrayList<>(violations);
    }

    long operations() {
        return ops.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long requests() {
        return requests.sum();
    }

    Map<String, Long> operationCounts() {
        Map<String, Long> out = new TreeMap<>();
        ops.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    void sawSeq(String turnId, long seq) {
        maxSeenSeq.merge(turnId, seq, Math::max);
    }

    /** Records a success answer naming {@code answer} for a client_message_id; a different one is a violation. */
    void answeredClientId(String clientMessageId, String answer) {
        String first = answersByClientId.putIfAbsent(clientMessageId, answer);
        if (first != null && !first.equals(answer)) {
            violation("client_message_id " + clientMessageId + " answered with " + answer + " after " + first
                    + ": a retried send created a second turn or queue entry");
        }
    }

    /** A 2xx answer about {@code sessionId} to a request sent after its delete was answered. */
    void checkNotDeleted(String sessionId, long sentAt, String what) {
        Long deletedAt = deleted.get(sessionId);
        if (deletedAt != null && deletedAt < sentAt) {
            violation("deleted session " + sessionId + " reappeared: " + what + " succeeded "
                    + (sentAt - deletedAt) + " ms after its delete was answered");
        }
    }
}
