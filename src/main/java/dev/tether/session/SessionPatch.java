package dev.tether.session;

/** Fields a user may change on a session; null means unchanged. */
public record SessionPatch(String title, Boolean pinned, Boolean archived, String model) {}
