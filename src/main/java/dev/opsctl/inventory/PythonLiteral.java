package dev.opsctl.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value as Python 3.11's {@code ast.literal_eval} reads it, which is how Ansible's ini plugin
 * types every variable ({@code _parse_value}); text it does not read stays a string there. Numbers
 * (underscores, {@code 0x}/{@code 0o}/{@code 0b}, {@code +}/{@code -}, floats such as {@code .5}
 * and {@code 1e3}), strings and bytes (prefixes, escapes, adjacent ones joined), {@code True},
 * {@code False}, {@code None} (held as "", as a YAML null is), lists, tuples (as lists) and dicts,
 * and a {@code # comment} after them. Complex numbers and sets, which ansible-inventory cannot
 * print either, are left as written.
 */
final class PythonLiteral {
    /** Python's None, until {@link #held} makes it "". */
    private static final Object NONE = new Object();
    private static final Pattern HEX_DIGITS = Pattern.compile("[0-9a-fA-F]*");

    /** Python 3.11's MAXLEVEL: a 201st open bracket is "too many nested parentheses". */
    private static final int MAX_NESTING = 200;

    private final String s;
    private int i;
    private int nesting;

    private PythonLiteral(String s) {
        this.s = s;
    }

    /** The value literal_eval gives {@code text}, or empty where it raises (the text then stays a string). */
    static Optional<Object> eval(String text) {
        PythonLiteral p = new PythonLiteral(text);
        try {
            Object value = p.expression();
            p.space();
            return p.i == p.s.length() ? Optional.of(held(value)) : Optional.empty();
        } catch (NotALiteral e) {
            return Optional.empty();
        }
    }

    private static final class NotALiteral extends Exception {
        NotALiteral() {
            super(null, null, false, false);
        }
    }

    private Object expression() throws NotALiteral {
        space();
        if (i == s.length()) {
            throw new NotALiteral();
        }
        char c = s.charAt(i);
        if (c == '+' || c == '-') {
            i++;
            space();
            Object n = unsigned();
            if (n instanceof Double d) {
                return c == '-' ? -d : d;
            }
            if (n instanceof BigInteger b) {
                return c == '-' ? b.negate() : b;
            }
            throw new NotALiteral();
        }
        return unsigned();
    }

    /** A primary: in Python's grammar a sign applies to a number (or a parenthesised one), not to True. */
    private Object unsigned() throws NotALiteral {
        space();
        if (i == s.length()) {
            throw new NotALiteral();
        }
        char c = s.charAt(i);
        if (c == '[' || c == '(' || c == '{') {
            return bracketed(c);
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String name = s.substring(start, i);
            if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
                i = start;
                return strings();
            }
            return switch (name) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> NONE;
                default -> throw new NotALiteral();
            };
        }
        if (c == '\'' || c == '"') {
            return strings();
        }
        throw new NotALiteral();
    }

    /** A list, tuple or dict; Python's tokenizer refuses brackets nested deeper than {@link #MAX_NESTING}. */
    private Object bracketed(char open) throws NotALiteral {
        if (++nesting > MAX_NESTING) {
            throw new NotALiteral();
        }
        i++;
        Object value = switch (open) {
            case '[' -> items(']');
            case '(' -> parenthesised();
            default -> dict();
        };
        nesting--;
        return value;
    }

    private Object parenthesised() throws NotALiteral {
        space();
        if (peek(')')) {
            return List.of();
        }
        Object first = expression();
        space();
        if (peek(')')) {
            return first;
        }
        expect(',');
        List<Object> rest = items(')');
        List<Object> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    /** Items up to {@code close}, a trailing comma allowed; the opening bracket is read. */
    private List<Object> items(char close) throws NotALiteral {
        List<Object> out = new ArrayList<>();
        space();
        if (peek(close)) {
            return out;
        }
        while (true) {
            out.add(expression());
            space();
            if (peek(close)) {
                return out;
            }
            expect(',');
            space();
            if (peek(close)) {
                return out;
            }
        }
    }

    private Map<String, Object> dict() throws NotALiteral {
        Map<String, Object> out = new LinkedHashMap<>();
        space();
        if (peek('}')) {
            return Collections.unmodifiableMap(out);
        }
        while (true) {
            Object key = expression();
            space();
            if (!peek(':')) {
                throw new NotALiteral(); // a set, or not a literal
            }
            out.put(jsonKey(key), expression());
            space();
            if (peek('}')) {
                return Collections.unmodifiableMap(out);
            }
            expect(',');
            space();
            if (peek('}')) {
                return Collections.unmodifiableMap(out);
            }
        }
    }

    /** A key as ansible-inventory's JSON writes it. */
    private static String jsonKey(Object key) throws NotALiteral {
        if (key instanceof List || key instanceof Map) {
            throw new NotALiteral(); // JSON has no such key: ansible-inventory cannot print it
        }
        return key == NONE ? "null" : String.valueOf(key);
    }

    private Object number() throws NotALiteral {
        if (s.startsWith("0x", i) || s.startsWith("0X", i) || s.startsWith("0o", i) || s.startsWith("0O", i)
                || s.startsWith("0b", i) || s.startsWith("0B", i)) {
            int radix = switch (Character.toLowerCase(s.charAt(i + 1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            i += 2;
            peek('_'); // one underscore may follow the prefix
            String digits = digits(radix);
            if (digits.isEmpty()) {
                throw new NotALiteral();
            }
            return new BigInteger(digits, radix);
        }
        String whole = digits(10);
        boolean isFloat = false;
        String fraction = "";
        if (peek('.')) {
            isFloat = true;
            fraction = i < s.length() && Character.isDigit(s.charAt(i)) ? digits(10) : "";
        }
        String exponent = "";
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int e = i++;
            String sign = "";
            if (peek('-')) {
                sign = "-";
            } else {
                peek('+');
            }
            String digits = i < s.length() && Character.isDigit(s.charAt(i)) ? digits(10) : "";
            if (digits.isEmpty()) {
                i = e;
            } else {
                isFloat = true;
                exponent = "e" + sign + digits;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'j' || s.charAt(i) == 'J' || Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            throw new NotALiteral(); // a complex number, or no number at all
        }
        if (isFloat) {
            return Double.parseDouble((whole.isEmpty() ? "0" : whole) + "." + (fraction.isEmpty() ? "0" : fraction) + exponent);
        }
        if (whole.length() > 1 && whole.startsWith("0") && whole.chars().anyMatch(ch -> ch != '0')) {
            throw new NotALiteral(); // Python 3 has no 010
        }
        return new BigInteger(whole);
    }

    /** Digits of {@code radix} with single underscores between them, the underscores dropped. */
    private String digits(int radix) throws NotALiteral {
        StringBuilder out = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.digit(c, radix) >= 0 && c < 128) {
                out.append(c);
                i++;
            } else if (c == '_' && i + 1 < s.length() && Character.digit(s.charAt(i + 1), radix) >= 0 && s.charAt(i + 1) < 128) {
                i++;
            } else {
                break;
            }
        }
        return out.toString();
    }

    /** One or more adjacent string literals, joined; bytes and str may not be mixed. */
    private String strings() throws NotALiteral {
        StringBuilder out = new StringBuilder();
        Boolean bytes = null;
        do {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String prefix = s.substring(start, i).toLowerCase();
            boolean isBytes = prefix.contains("b");
            boolean raw = prefix.contains("r");
            if (!List.of("", "r", "u", "b", "br", "rb").contains(prefix) || (bytes != null && bytes != isBytes)) {
                throw new NotALiteral();
            }
            bytes = isBytes;
            out.append(string(raw, isBytes));
            space();
        } while (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"' || startsString()));
        return out.toString();
    }

    private boolean startsString() {
        int j = i;
        while (j < s.length() && Character.isLetter(s.charAt(j)) && j - i < 2) {
            j++;
        }
        return j > i && j < s.length() && (s.charAt(j) == '\'' || s.charAt(j) == '"');
    }

    private String string(boolean raw, boolean bytes) throws NotALiteral {
        char q = s.charAt(i);
        String delimiter = s.startsWith(String.valueOf(q).repeat(3), i) ? String.valueOf(q).repeat(3) : String.valueOf(q);
        i += delimiter.length();
        StringBuilder out = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new NotALiteral();
            }
            if (s.startsWith(delimiter, i)) {
                i += delimiter.length();
                return out.toString();
            }
            char c = s.charAt(i++);
            if (c != '\\') {
                if (bytes && c > 127) {
                    throw new NotALiteral();
                }
                out.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw new NotALiteral();
            }
            char e = s.charAt(i++);
            if (raw) {
                out.append('\\').append(e);
                continue;
            }
            switch (e) {
                case '\\', '\'', '"' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'x' -> out.appendCodePoint(hex(2));
                case 'u', 'U' -> {
                    if (bytes) {
                        out.append('\\').append(e);
                    } else {
                        out.appendCodePoint(hex(e == 'u' ? 4 : 8));
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int n = 0; n < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; n++) {
                            v = v * 8 + (s.charAt(i++) - '0');
                        }
                        out.appendCodePoint(v);
                    } else if (e == 'N' && !bytes) {
                        throw new NotALiteral(); // a character by name: not worth porting Unicode's names
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
    }

    /** Exactly {@code n} hex digits (no sign, as Integer.parseInt would take) naming a Unicode code point. */
    private int hex(int n) throws NotALiteral {
        if (i + n > s.length() || !HEX_DIGITS.matcher(s).region(i, i + n).matches()) {
            throw new NotALiteral();
        }
        long v = Long.parseLong(s, i, i + n, 16);
        if (v > Character.MAX_CODE_POINT) {
            throw new NotALiteral(); // Python: illegal Unicode character
        }
        i += n;
        return (int) v;
    }

    /** Spaces, tabs and a comment to the end of the text, as Python's tokenizer skips them. */
    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '#') {
            i = s.length();
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws NotALiteral {
        if (!peek(c)) {
            throw new NotALiteral();
        }
    }

    /** Python's values as opsctl holds variables: None as "", integers as Integer, Long or BigInteger. */
    private static Object held(Object value) {
        if (value == NONE) {
            return "";
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(PythonLiteral::held).toList();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, held(v)));
            return Collections.unmodifiableMap(out);
        }
        return value;
    }
}
