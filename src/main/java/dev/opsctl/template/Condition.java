package dev.opsctl.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A boolean expression for {@code when}, {@code until} and triggers, e.g. {@code status >= 500},
 * {@code stdout contains 'active' and not (rc != 0)}. Immutable, thread-safe.
 *
 * <p>Grammar, loosest first: {@code or} (also {@code ||}), {@code and} ({@code &&}), {@code not}
 * ({@code !}), then a comparison {@code a OP b} with OP one of {@code == != < <= > >=}, {@code
 * contains}, {@code in} or {@code matches} (the last three also as {@code not in} and so on);
 * parentheses group. An operand alone is a truth test.
 *
 * <p>Operands: variables ({@code steps.check.stdout}, also written {@code {{ x }}}), {@code
 * default(x, v)}, numbers ({@code -1}, {@code 0.5}), quoted strings ({@code 'a'}, {@code "a"}),
 * durations ({@code 30s}), {@code true}/{@code false} and lists ({@code ['a', 'b']}). An undefined
 * variable is an error when the condition is tested.
 *
 * <p>Semantics:
 *
 * <ul>
 *   <li>{@code ==}/{@code !=} compare numerically when one side is a number or duration and the other
 *       reads as one ({@code stdout == 3} holds for {@code "3\n"}); otherwise as text, ignoring
 *       trailing newlines (command output ends with one). Two strings such as {@code "1.10"} and
 *       {@code "1.1"} are compared as text.
 *   <li>{@code < <= > >=} need both sides numeric (numbers, numeric strings, durations as seconds;
 *       against a duration, a string such as {@code "5m"} counts too); anything else is an error
 *       {@code cannot compare 'abc' with 5}. NaN compares false (and {@code !=} true).
 *   <li>{@code a contains b}: b is an element of list a, a key of map a, or a substring of a's text.
 *       {@code b in a} is the same test.
 *   <li>{@code a matches 're'}: Java regex {@code find()} in a's text; the regex must be a quoted
 *       string and is compiled when the condition is parsed.
 *   <li>Truth: false, zero, NaN, {@code ""}, {@code "false"}, {@code "0"}, empty lists and maps and a
 *       zero duration are false; everything else true.
 * </ul>
 */
public final class Condition {
    private sealed interface Node {}

    private record Or(Node left, Node right) implements Node {}

    private record And(Node left, Node right) implements Node {}

    private record Not(Node inner) implements Node {}

    private record Truth(Expr operand) implements Node {}

    private record Compare(Expr left, String op, Expr right, int offset, Optional<Pattern> regex) implements Node {}

    private final String text;
    private final Node root;
    private final List<VarRef> references;

    private Condition(String text, Node root, List<VarRef> references) {
        this.text = text;
        this.root = root;
        this.references = List.copyOf(references);
    }

    public static Condition parse(String text) throws TemplateException {
        List<Token> tokens = Lexer.all(text);
        if (tokens.size() == 1) {
            throw new TemplateException("empty condition", 0);
        }
        Parser parser = new Parser(tokens);
        Node root = parser.or();
        if (!parser.peek().is(Token.Kind.EOF)) {
            throw parser.unexpected("'and', 'or' or end of condition");
        }
        return new Condition(text, root, parser.refs);
    }

    public boolean test(Scope scope) throws TemplateException {
        return test(root, scope);
    }

    /** Every variable the condition needs, in order (not those inside {@code default(x, ...)}). */
    public List<VarRef> references() {
        return references;
    }

    /**
     * The paths this condition requires to exist: each {@code default(p, false)} (any false fallback)
     * that all of it rests on, i.e. stands alone or in a chain of {@code and}. Not under {@code not}
     * or {@code or}, where a missing {@code p} may still let the condition hold.
     */
    public List<VarRef> requiredToExist() {
        List<VarRef> out = new ArrayList<>();
        required(root, out);
        return out;
    }

    private static void required(Node node, List<VarRef> out) {
        if (node instanceof And and) {
            required(and.left(), out);
            required(and.right(), out);
        } else if (node instanceof Truth t && t.operand() instanceof Expr.Default d && d.fallback() instanceof Expr.Literal lit
                && !Values.truthy(lit.value())) {
            out.add(d.var().ref());
        }
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean test(Node node, Scope scope) throws TemplateException {
        if (node instanceof Or or) {
            return test(or.left(), scope) || test(or.right(), scope);
        }
        if (node instanceof And and) {
            return test(and.left(), scope) && test(and.right(), scope);
        }
        if (node instanceof Not not) {
            return !test(not.inner(), scope);
        }
        if (node instanceof Truth t) {
            return Values.truthy(t.operand().eval(scope));
        }
        Compare c = (Compare) node;
        Object left = c.left().eval(scope);
        if (c.regex().isPresent()) {
            return c.regex().get().matcher(Values.text(left)).find();
        }
        return Comparison.apply(c.op(), left, c.right().eval(scope), c.offset());
    }

    private static final class Parser extends ExprParser {
        final List<VarRef> refs = new ArrayList<>();

        Parser(List<Token> tokens) {
            super(tokens);
        }

        Node or() throws TemplateException {
            Node left = and();
            while (peek().isWord("or") || peek().isOp("||")) {
                advance();
                left = new Or(left, and());
            }
            return left;
        }

        Node and() throws TemplateException {
            Node left = unary();
            while (peek().isWord("and") || peek().isOp("&&")) {
                advance();
                left = new And(left, unary());
            }
            return left;
        }

        Node unary() throws TemplateException {
            if (peek().isWord("not") || peek().isOp("!")) {
                advance();
                return new Not(unary());
            }
            if (peek().is(Token.Kind.LPAREN)) {
                advance();
                Node inner = or();
                expect(Token.Kind.RPAREN, "')'");
                return inner;
            }
            return comparison();
        }

        Node comparison() throws TemplateException {
            Expr left = track(operand());
            boolean negated = peek().isWord("not") && isWordOp(peek(1));
            if (negated) {
                advance();
            }
            Token op = peek();
            boolean isOp = op.is(Token.Kind.OP) && !op.isOp("!") && !op.isOp("&&") && !op.isOp("||");
            if (!isOp && !isWordOp(op)) {
                return new Truth(left);
            }
            advance();
            Token rightStart = peek();
            Expr right = track(operand());
            Optional<Pattern> regex = Optional.empty();
            if (op.isWord("matches")) {
                if (!(right instanceof Expr.Literal lit && lit.value() instanceof String re)) {
                    throw new TemplateException("'matches' needs a quoted regex on its right", rightStart.offset());
                }
                try {
                    regex = Optional.of(Pattern.compile(re));
                } catch (PatternSyntaxException e) {
                    throw new TemplateException(
                            "bad regex '" + re + "': " + e.getDescription(), rightStart.offset());
                }
            }
            Node compare = new Compare(left, op.text(), right, op.offset(), regex);
            return negated ? new Not(compare) : compare;
        }

        private static boolean isWordOp(Token t) {
            return t.isWord("contains") || t.isWord("matches") || t.isWord("in");
        }

        private Expr track(Expr e) {
            e.collect(refs);
            return e;
        }
    }
}
