package dev.tether.web.dto;

/** chat/start's answer when the message was queued behind a running turn. */
public record QueuedAnswer(boolean queued, int position, String queuedId, String sessionId) {}
