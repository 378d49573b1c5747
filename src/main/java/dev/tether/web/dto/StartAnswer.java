package dev.tether.web.dto;

import java.time.Instant;

/** The success answer of chat/start (also for a repeated client_message_id). */
public record StartAnswer(String streamId, String sessionId, String turnId, Instant pendingStartedAt, String title) {}
