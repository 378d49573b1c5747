package dev.tether.tool;

/** How one server is doing, as {@code GET /api/tools} shows it; {@code error} is null unless it failed. */
public record ServerStatus(String name, String transport, String state, String error) {}
