package dev.tether.model;

import java.util.List;

/** The whole conversation so far, oldest first, plus the model id to answer with. */
public record ModelRequest(String model, List<ChatMessage> messages) {

    public ModelRequest {
        messages = List.copyOf(messages);
    }

    /** One message of the history; role is {@code system}, {@code user} or {@code assistant}. */
    public record ChatMessage(String role, String content) {}
}
