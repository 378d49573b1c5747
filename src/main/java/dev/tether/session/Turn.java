package dev.tether.session;

import java.time.Instant;

/**
 * One agent reply to one user message; {@code id} is also the wire's {@code stream_id}.
 * {@code fence} names the instance running its worker (null: started before instances existed, or
 * by a lifecycle that runs no workers).
 */
public record Turn(
        String id,
        String sessionId,
        String owner,
        TurnState state,
        String clientMessageId,
        int userMessageIndex,
        String model,
        Instant startedAt,
        Instant endedAt,
        Fence fence) {}
