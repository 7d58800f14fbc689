package dev.opsctl.template;

/** One lexeme of a template hole or a condition; {@code offset}/{@code end} index the source text. */
record Token(Kind kind, String text, Object value, int offset, int end) {
    enum Kind {
        NAME, // a dotted path; value is List<String>
        NUMBER, // value is Long or BigDecimal
        DURATION, // value is java.time.Duration
        STRING, // value is the unescaped String
        OP, // == != < <= > >= && || !
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        OPEN, // {{
        CLOSE, // }}
        EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** A bare word such as {@code and} or {@code raw} (not part of a dotted path). */
    boolean isWord(String word) {
        return kind == Kind.NAME && text.equals(word);
    }

    boolean isOp(String op) {
        return kind == Kind.OP && text.equals(op);
    }

    String describe() {
        return kind == Kind.EOF ? "end of text" : "'" + text + "'";
    }
}
