package dev.opsctl.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive descent over a token list: the values shared by template holes and conditions. */
class ExprParser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "contains", "matches", "in");

    private final List<Token> tokens;
    private int at;

    ExprParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    final Token peek() {
        return tokens.get(at);
    }

    final Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    final Token advance() {
        Token t = tokens.get(at);
        if (at < tokens.size() - 1) {
            at++;
        }
        return t;
    }

    final Token expect(Token.Kind kind, String what) throws TemplateException {
        if (!peek().is(kind)) {
            throw unexpected(what);
        }
        return advance();
    }

    final TemplateException unexpected(String expected) {
        Token t = peek();
        return new TemplateException("expected " + expected + ", found " + t.describe(), t.offset());
    }

    /** {@code default(var, value)}, a variable, or a literal. */
    final Expr value() throws TemplateException {
        Token t = peek();
        if (t.isWord("default") && peek(1).is(Token.Kind.LPAREN)) {
            advance();
            advance();
            Expr.Var var = variable();
            expect(Token.Kind.COMMA, "',' and a fallback value in default(x, value)");
            Expr fallback = value();
            expect(Token.Kind.RPAREN, "')' closing default(");
            return new Expr.Default(var, fallback);
        }
        if (t.isWord("raw") && peek(1).is(Token.Kind.LPAREN)) {
            throw new TemplateException("raw() may only wrap a whole '{{ }}' hole of a template", t.offset());
        }
        switch (t.kind()) {
            case NUMBER, STRING, DURATION:
                advance();
                return new Expr.Literal(t.value());
            case NAME:
                if (t.isWord("true") || t.isWord("false")) {
                    advance();
                    return new Expr.Literal(Boolean.valueOf(t.text()));
                }
                return variable();
            default:
                throw unexpected("a variable, number or quoted string");
        }
    }

    final Expr.Var variable() throws TemplateException {
        Token t = peek();
        if (!t.is(Token.Kind.NAME) || KEYWORDS.contains(t.text()) || t.isWord("true") || t.isWord("false")) {
            throw unexpected("a variable");
        }
        if (peek(1).is(Token.Kind.LPAREN)) {
            throw new TemplateException("expected a variable, found '" + t.text() + "('", t.offset());
        }
        advance();
        @SuppressWarnings("unchecked")
        List<String> path = (List<String>) t.value();
        return new Expr.Var(new VarRef(path, t.offset()));
    }

    /** A condition operand: a value, a value in {@code {{ }}}, or a list {@code [a, b]}. */
    final Expr operand() throws TemplateException {
        if (peek().is(Token.Kind.OPEN)) {
            advance();
            Expr e = value();
            expect(Token.Kind.CLOSE, "'}}'");
            return e;
        }
        if (peek().is(Token.Kind.LBRACKET)) {
            advance();
            List<Expr> items = new ArrayList<>();
            if (!peek().is(Token.Kind.RBRACKET)) {
                items.add(value());
                while (peek().is(Token.Kind.COMMA)) {
                    advance();
                    items.add(value());
                }
            }
            expect(Token.Kind.RBRACKET, "',' or ']'");
            return new Expr.ListOf(items);
        }
        return value();
    }
}
