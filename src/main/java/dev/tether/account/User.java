package dev.tether.account;

import java.time.Instant;

/** A person who may log in. {@code id} is the owner id of everything they keep. */
public record User(String id, String name, boolean admin, boolean disabled, Instant createdAt) {}
