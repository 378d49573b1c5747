package dev.tether.account;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Argon2id password hashing (Spring Security's encoder on Bouncy Castle), never hand-written. */
final class Passwords {
    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 1024;

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }

    /** Null if acceptable, else what is wrong with it. */
    static String problemWith(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "A password needs at least " + MIN_LENGTH + " characters.";
        }
        if (password.length() > MAX_LENGTH) {
            return "A password may have at most " + MAX_LENGTH + " characters.";
        }
        return null;
    }
}
