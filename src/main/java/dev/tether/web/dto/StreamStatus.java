package dev.tether.web.dto;

/** chat/stream/status's answer. */
public record StreamStatus(boolean active, String streamId, boolean replayAvailable, long lastSeq, boolean terminal,
                           String terminalState) {}
