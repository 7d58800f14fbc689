package dev.opsctl.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed text with {@code {{ expr }}} holes. Immutable and thread-safe.
 *
 * <p>{@code expr} is one of:
 *
 * <ul>
 *   <li>a dotted variable: {@code host.name}, {@code params.x}, {@code steps.restart.stdout}, with
 *       decimal segments indexing lists ({@code params.hosts.0});
 *   <li>{@code default(x, "fallback")}: x, or the fallback (a quoted string, number, duration,
 *       {@code true}/{@code false} or another variable) when x is undefined;
 *   <li>{@code raw(x)} or {@code raw(default(x, "v"))}: substituted without shell quoting;
 *   <li>a quoted string, e.g. {@code {{ '{{' }}} for a literal {@code {{}.
 * </ul>
 *
 * <p>Values render as: strings as they are; numbers plainly ({@code 3}, {@code 0.95}); booleans as
 * {@code true}/{@code false}; a duration as whole seconds, rounded up (e.g. {@code 2m} -> {@code 120},
 * so {@code sleep {{ drain_wait }}} works); a secret as its value (mask for display with {@link
 * Masker}); a list as its elements joined by a space; a map as compact JSON.
 *
 * <p>With {@link Quoting#SHELL} each value is shell-quoted, so it is always one word; a list gives one
 * word per element (an empty list gives none). A hole the template already puts inside quotes is
 * escaped for them instead: in {@code '{{ x }}'} only embedded {@code '} are escaped, in {@code
 * "{{ x }}"} only {@code \ " $ `}; so a value can never end the author's quotes, and {@code
 * "$(cat {{ f }})"} quotes {@code f} afresh. In a {@code #} comment newlines become spaces. A value
 * in a here-document body is not protected. {@code raw(x)} values are assumed to keep their own
 * quotes balanced.
 *
 * <p>Holes that are Go templates are kept verbatim and are not variables, so {@code docker ps
 * --format '{{.ID}}\t{{json .Labels}}'} passes through: a hole starting with {@code .}, {@code $} or
 * {@code /*}; a Go function or keyword followed by an argument starting with {@code .}, {@code $},
 * {@code "} or {@code (} ({@code {{json .}}}, {@code {{range .Mounts}}}); and, after such a hole,
 * {@code {{end}}} and {@code {{else}}}.
 */
public final class Template {
    private static final Pattern GO_HOLE = Pattern.compile("\\{\\{-?\\s*(\\.|\\$|/\\*|"
            + "(json|range|if|with|else\\s+if|else\\s+with|printf|print|println|index|len|join|table|upper|lower"
            + "|title|split|define|template|block|not|and|or|eq|ne|lt|le|gt|ge|html|js|urlquery|slice|pad"
            + "|truncate|call)\\s+[.$\"(])");
    private static final Pattern GO_END = Pattern.compile("\\{\\{-?\\s*(end|else)\\s*-?}}");

    private sealed interface Part {}

    private record Text(String text) implements Part {}

    private record Hole(Expr expr, boolean raw, QuoteTracker.Place place) implements Part {}

    private final String text;
    private final List<Part> parts;
    private final List<VarRef> references;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        List<VarRef> refs = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Hole h) {
                h.expr().collect(refs);
            }
        }
        this.references = List.copyOf(refs);
    }

    /** Parses; a malformed hole ({@code {{ }}}, an unclosed {@code {{}) throws with its offset. */
    public static Template parse(String text) throws TemplateException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean goSeen = false;
        QuoteTracker shell = new QuoteTracker();
        int i = 0;
        while (true) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, open);
            Matcher go = GO_HOLE.matcher(text).region(open, text.length());
            Matcher end = GO_END.matcher(text).region(open, text.length());
            if (go.lookingAt() || (goSeen && end.lookingAt())) {
                int close = text.indexOf("}}", open + 2);
                if (close < 0) {
                    throw new TemplateException("unclosed '{{' (no matching '}}')", open);
                }
                goSeen = true;
                literal.append(text, open, close + 2);
                i = close + 2;
                continue;
            }
            List<Token> tokens = Lexer.hole(text, open);
            if (tokens.size() == 1) {
                throw new TemplateException("empty '{{ }}': put a variable inside, e.g. {{ host.name }}", open);
            }
            ExprParser parser = new ExprParser(tokens);
            boolean raw = isRaw(parser);
            Expr expr = parser.value();
            if (raw) {
                parser.expect(Token.Kind.RPAREN, "')' closing raw(");
            }
            int close = parser.expect(Token.Kind.CLOSE, "'}}'").end();
            if (expr instanceof Expr.Literal lit && !raw) {
                literal.append(Values.text(lit.value()));
            } else {
                if (literal.length() > 0) {
                    shell.feed(literal);
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(new Hole(expr, raw, shell.place()));
                shell.value();
            }
            i = close;
        }
        if (literal.length() > 0) {
            parts.add(new Text(literal.toString()));
        }
        return new Template(text, parts);
    }

    private static boolean isRaw(ExprParser parser) {
        if (parser.peek().isWord("raw") && parser.peek(1).is(Token.Kind.LPAREN)) {
            parser.advance();
            parser.advance();
            return true;
        }
        return false;
    }

    /** Renders; an undefined variable throws with its offset. Secrets are revealed (mask for display). */
    public String render(Scope scope, Quoting quoting) throws TemplateException {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                out.append(t.text());
            } else if (p instanceof Hole h) {
                Object value = h.expr().eval(scope);
                append(out, value, quoting == Quoting.SHELL && !h.raw() ? h.place() : null);
            }
        }
        return out.toString();
    }

    /** Appends the value escaped for {@code context}, or as it is when that is null. */
    private static void append(StringBuilder out, Object value, QuoteTracker.Place place) {
        if (value instanceof List<?> list) {
            List<String> words = new ArrayList<>();
            for (Object e : list) {
                words.add(escape(Values.text(e), place));
            }
            out.append(String.join(" ", words));
        } else {
            out.append(escape(Values.text(value), place));
        }
    }

    private static String escape(String s, QuoteTracker.Place place) {
        if (place == null) {
            return s;
        }
        String out = switch (place.context()) {
            case PLAIN -> ShellQuote.quote(s);
            case SINGLE -> s.replace("'", "'\\''");
            case DOUBLE -> s.replaceAll("([\\\\\"$`])", "\\\\$1");
            // a newline would end the comment and run the rest of the value
            case COMMENT -> s.replace('\n', ' ').replace('\r', ' ');
        };
        // the shell finds the closing backtick before it reads any quotes, undoing one \\ or \` per level
        for (int i = 0; i < place.backticks(); i++) {
            out = out.replace("\\", "\\\\").replace("`", "\\`");
        }
        return out;
    }

    /**
     * Every variable the template needs, in order, with its offset in the text. A variable inside
     * {@code default(x, ...)} is not listed: it may be undefined.
     */
    public List<VarRef> references() {
        return references;
    }

    /**
     * True when rendering always gives the text back unchanged: it has no holes (Go template holes do
     * not count: they are text).
     */
    public boolean isLiteral() {
        return parts.isEmpty() || (parts.size() == 1 && parts.get(0) instanceof Text t && t.text().equals(text));
    }

    /** The text this template was parsed from. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
