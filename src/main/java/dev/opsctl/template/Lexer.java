package dev.opsctl.template;

import dev.opsctl.source.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Splits a condition, or the inside of one {@code {{ }}} hole, into tokens. */
final class Lexer {
    private final String s;
    private int pos;

    private Lexer(String s, int start) {
        this.s = s;
        this.pos = start;
    }

    /** Every token of {@code text}, ending with EOF. */
    static List<Token> all(String text) throws TemplateException {
        Lexer lexer = new Lexer(text, 0);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            out.add(t);
        } while (!t.is(Token.Kind.EOF));
        return out;
    }

    /** The tokens of the hole whose {@code {{} is at {@code open}, ending with its CLOSE. */
    static List<Token> hole(String text, int open) throws TemplateException {
        Lexer lexer = new Lexer(text, open + 2);
        List<Token> out = new ArrayList<>();
        while (true) {
            Token t = lexer.next();
            if (t.is(Token.Kind.EOF)) {
                throw new TemplateException(
                        "unclosed '{{' (no matching '}}'; write {{ '{{' }} for a literal '{{')", open);
            }
            out.add(t);
            if (t.is(Token.Kind.CLOSE)) {
                return out;
            }
        }
    }

    private Token next() throws TemplateException {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= s.length()) {
            return new Token(Token.Kind.EOF, "", null, start, start);
        }
        char c = s.charAt(pos);
        char d = pos + 1 < s.length() ? s.charAt(pos + 1) : '\0';
        String two = "" + c + d;
        switch (two) {
            case "{{":
                return punct(Token.Kind.OPEN, 2);
            case "}}":
                return punct(Token.Kind.CLOSE, 2);
            case "==", "!=", "<=", ">=", "&&", "||":
                return punct(Token.Kind.OP, 2);
            default:
                break;
        }
        switch (c) {
            case '(':
                return punct(Token.Kind.LPAREN, 1);
            case ')':
                return punct(Token.Kind.RPAREN, 1);
            case '[':
                return punct(Token.Kind.LBRACKET, 1);
            case ']':
                return punct(Token.Kind.RBRACKET, 1);
            case ',':
                return punct(Token.Kind.COMMA, 1);
            case '<', '>', '!':
                return punct(Token.Kind.OP, 1);
            case '=':
                throw new TemplateException("'=' is not a comparison; use '=='", start);
            case '\'', '"':
                return string(c);
            default:
                break;
        }
        if (isDigit(c) || (c == '-' && isDigit(d))) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            return name();
        }
        throw new TemplateException("unexpected character '" + c + "'", start);
    }

    private Token punct(Token.Kind kind, int length) {
        int start = pos;
        pos += length;
        return new Token(kind, s.substring(start, pos), null, start, pos);
    }

    private Token string(char quote) throws TemplateException {
        int start = pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new TemplateException("unclosed string (missing " + quote + ")", start);
            }
            char c = s.charAt(pos++);
            if (c == quote) {
                return new Token(Token.Kind.STRING, s.substring(start, pos), out.toString(), start, pos);
            }
            if (c == '\\' && pos < s.length()) {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case '\\', '\'', '"' -> out.append(e);
                    // any other escape is kept as written, so regexes like "\d+" need no doubling
                    default -> out.append('\\').append(e);
                }
            } else {
                out.append(c);
            }
        }
    }

    private Token number() throws TemplateException {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        skipDigits();
        if (pos < s.length() && Character.isLetter(s.charAt(pos)) && !exponentAhead()) {
            while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                pos++;
            }
            String text = s.substring(start, pos);
            Optional<Duration> d = text.startsWith("-") ? Optional.empty() : Durations.parse(text);
            if (d.isEmpty()) {
                throw new TemplateException("bad duration '" + text + "' (write e.g. 30s, 5m, 1h30m, 250ms)", start);
            }
            return new Token(Token.Kind.DURATION, text, d.get(), start, pos);
        }
        boolean integral = true;
        if (pos + 1 < s.length() && s.charAt(pos) == '.' && isDigit(s.charAt(pos + 1))) {
            integral = false;
            pos++;
            skipDigits();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < s.length() && isDigit(s.charAt(pos))) {
                integral = false;
                skipDigits();
            } else {
                pos = mark;
            }
        }
        if (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            throw new TemplateException("bad number '" + s.substring(start, pos + 1) + "'", start);
        }
        String text = s.substring(start, pos);
        Object value;
        if (integral && text.length() < 19) {
            value = Long.parseLong(text);
        } else {
            value = new BigDecimal(text);
        }
        return new Token(Token.Kind.NUMBER, text, value, start, pos);
    }

    private Token name() throws TemplateException {
        int start = pos;
        List<String> path = new ArrayList<>();
        path.add(segment());
        while (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            if (pos >= s.length() || !(Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                throw new TemplateException("expected a name after '.'", pos);
            }
            path.add(segment());
        }
        return new Token(Token.Kind.NAME, s.substring(start, pos), List.copyOf(path), start, pos);
    }

    private String segment() {
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                pos++;
            } else {
                break;
            }
        }
        return s.substring(start, pos);
    }

    private boolean exponentAhead() {
        int i = pos;
        if (s.charAt(i) != 'e' && s.charAt(i) != 'E') {
            return false;
        }
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        return i < s.length() && isDigit(s.charAt(i));
    }

    private void skipDigits() {
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
