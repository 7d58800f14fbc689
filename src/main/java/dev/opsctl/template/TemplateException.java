package dev.opsctl.template;

/** A template or condition that cannot be parsed or evaluated; {@code offset} points into its text. */
public final class TemplateException extends Exception {
    private final int offset;

    public TemplateException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
