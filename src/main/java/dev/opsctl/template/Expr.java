package dev.opsctl.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A value inside a hole or a condition operand. */
sealed interface Expr {
    Object eval(Scope scope) throws TemplateException;

    /** Adds the variables whose absence is an error. */
    void collect(List<VarRef> out);

    /** A dotted variable; missing is an error. */
    record Var(VarRef ref) implements Expr {
        @Override
        public Object eval(Scope scope) throws TemplateException {
            Object v = find(scope).orElseThrow(
                    () -> new TemplateException("undefined variable '" + ref.dotted() + "'", ref.offset()));
            Unavailable.refuse(v, ref);
            return v;
        }

        Optional<Object> find(Scope scope) {
            return scope.lookup(ref.path());
        }

        @Override
        public void collect(List<VarRef> out) {
            out.add(ref);
        }
    }

    /** A number, string, duration or boolean written in the text. */
    record Literal(Object value) implements Expr {
        @Override
        public Object eval(Scope scope) {
            return value;
        }

        @Override
        public void collect(List<VarRef> out) {}
    }

    /** {@code default(x, fallback)}: x when it is defined, else the fallback. */
    record Default(Var var, Expr fallback) implements Expr {
        @Override
        public Object eval(Scope scope) throws TemplateException {
            Optional<Object> v = var.find(scope);
            if (v.isEmpty()) {
                return fallback.eval(scope);
            }
            Unavailable.refuse(v.get(), var.ref());
            return v.get();
        }

        @Override
        public void collect(List<VarRef> out) {
            fallback.collect(out);
        }
    }

    /** {@code [a, 'b', 3]} in a condition. */
    record ListOf(List<Expr> items) implements Expr {
        @Override
        public Object eval(Scope scope) throws TemplateException {
            List<Object> out = new ArrayList<>();
            for (Expr e : items) {
                out.add(e.eval(scope));
            }
            return out;
        }

        @Override
        public void collect(List<VarRef> out) {
            items.forEach(e -> e.collect(out));
        }
    }
}
