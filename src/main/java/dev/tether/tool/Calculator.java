package dev.tether.tool;

/**
 * Arithmetic for the built-in {@code calculator} tool: numbers, {@code + - * / % ^}, parentheses and
 * unary minus, by recursive descent (no scripting engine: the model's input is only ever arithmetic).
 * Stateless apart from one parse's position; one instance per expression.
 */
final class Calculator {
    private static final int MAX_LENGTH = 1000;
    private static final int MAX_DEPTH = 100;

    private final String text;
    private int pos;
    private int depth;

    private Calculator(String text) {
        this.text = text;
    }

    /** The value of {@code expression}; throws {@link IllegalArgumentException} saying what is wrong. */
    static double evaluate(String expression) {
        if (expression == null || expression.isBlank() || expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("give an arithmetic expression of 1 to " + MAX_LENGTH + " characters");
        }
        Calculator c = new Calculator(expression);
        double v = c.sum();
        c.skipSpaces();
        if (c.pos != c.text.length()) {
            throw new IllegalArgumentException("unexpected '" + c.text.charAt(c.pos) + "' at position " + (c.pos + 1));
        }
        return v;
    }

    private double sum() {
        double v = product();
        while (true) {
            if (eat('+')) {
                v += product();
            } else if (eat('-')) {
                v -= product();
            } else {
                return v;
            }
        }
    }

    private double product() {
        double v = power();
        while (true) {
            if (eat('*')) {
                v *= power();
            } else if (eat('/')) {
                v /= power();
            } else if (eat('%')) {
                v %= power();
            } else {
                return v;
            }
        }
    }

    private double power() {
        double base = unary();
        return eat('^') ? Math.pow(base, power()) : base;
    }

    private double unary() {
        if (eat('-')) {
            return -unary();
        }
        if (eat('+')) {
            return unary();
        }
        return atom();
    }

    private double atom() {
        if (eat('(')) {
            if (++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too many nested parentheses");
            }
            double v = sum();
            depth--;
            if (!eat(')')) {
                throw new IllegalArgumentException("a ')' is missing");
            }
            return v;
        }
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException(pos < text.length()
                    ? "unexpected '" + text.charAt(pos) + "' at position " + (pos + 1) : "the expression ends too early");
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.substring(start, pos) + "' is not a number");
        }
    }

    private boolean eat(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
