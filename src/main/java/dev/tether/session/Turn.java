package dev.tether.session;

import java.time.Instant;

/** One agent reply to one user message; {@code id} is also the wire's {@code stream_id}. */
public record Turn(
        String id,
        String sessionId,
        String owner,
        TurnState state,
        String clientMessageId,
        int userMessageIndex,
        String model,
        Instant startedAt,
        Instant endedAt) {}
