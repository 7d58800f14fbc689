package dev.opsctl.inventory;

import dev.opsctl.source.ScalarNode;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * YAML scalars typed as Ansible reads them, with PyYAML's YAML 1.1 rules, where opsctl's parser
 * follows others: a plain yes/no/on/off is a boolean, 010 is octal (8), 1:30 is 90, 0x1F and
 * 1_000 are integers, 1e3 (no dot) and 0o17 are strings, a date is its ISO text. A quoted scalar
 * is a string whatever its text. A null is "", as opsctl holds a variable set to nothing.
 */
final class AnsibleYamlScalars {
    private static final Pattern BOOL = Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private AnsibleYamlScalars() {}

    /** The value of a scalar as Ansible has it, or empty for a plain '=', which PyYAML cannot construct. */
    static Optional<Object> value(ScalarNode s) {
        if (s.isNull()) {
            return Optional.of("");
        }
        if (!s.plain()) {
            return Optional.of(s.text());
        }
        return typed(s.text());
    }

    /** True when Ansible reads the scalar as text, as a host or group name must be; a date is not. */
    static boolean isText(String text, boolean plain) {
        return !plain || (typed(text).filter(text::equals).isPresent() && !NULL.matcher(text).matches() && !DATE.matcher(text).matches());
    }

    /** True when a YAML value is falsy in Python: null, "", 0, false, an empty list or mapping. */
    static boolean isFalsy(Object value) {
        return value.equals("") || value.equals(0) || value.equals(0.0) || value.equals(false)
                || (value instanceof java.util.Collection<?> c && c.isEmpty()) || (value instanceof java.util.Map<?, ?> m && m.isEmpty());
    }

    static Optional<Object> typed(String text) {
        if (text.equals("=")) {
            return Optional.empty();
        }
        if (BOOL.matcher(text).matches()) {
            String t = text.toLowerCase();
            return Optional.of(t.equals("yes") || t.equals("true") || t.equals("on"));
        }
        if (FLOAT.matcher(text).matches()) {
            return Optional.of(toFloat(text));
        }
        if (INT.matcher(text).matches()) {
            return Optional.of(narrow(toInt(text)));
        }
        if (NULL.matcher(text).matches()) {
            return Optional.of("");
        }
        return Optional.of(text);
    }

    private static BigInteger toInt(String text) {
        String v = text.replace("_", "");
        boolean negative = v.startsWith("-");
        if (v.startsWith("-") || v.startsWith("+")) {
            v = v.substring(1);
        }
        BigInteger n;
        if (v.equals("0")) {
            n = BigInteger.ZERO;
        } else if (v.startsWith("0b")) {
            n = new BigInteger(v.substring(2), 2);
        } else if (v.startsWith("0x")) {
            n = new BigInteger(v.substring(2), 16);
        } else if (v.startsWith("0")) {
            n = new BigInteger(v, 8);
        } else if (v.contains(":")) {
            n = BigInteger.ZERO;
            for (String part : v.split(":")) {
                n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
        } else {
            n = new BigInteger(v);
        }
        return negative ? n.negate() : n;
    }

    private static double toFloat(String text) {
        String v = text.replace("_", "").toLowerCase();
        double sign = v.startsWith("-") ? -1 : 1;
        if (v.startsWith("-") || v.startsWith("+")) {
            v = v.substring(1);
        }
        if (v.equals(".inf")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (v.equals(".nan")) {
            return Double.NaN;
        }
        if (v.contains(":")) {
            double n = 0;
            for (String part : v.split(":")) {
                n = n * 60 + Double.parseDouble(part);
            }
            return sign * n;
        }
        return sign * Double.parseDouble(v);
    }

    private static Object narrow(BigInteger b) {
        return b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
}
