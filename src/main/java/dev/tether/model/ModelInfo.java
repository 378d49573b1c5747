package dev.tether.model;

/** How a model is listed in {@code /api/models}. */
public record ModelInfo(String id, String provider, String label, boolean demo) {}
