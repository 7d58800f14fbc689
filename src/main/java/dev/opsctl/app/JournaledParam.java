package dev.opsctl.app;

import dev.opsctl.param.Param;
import dev.opsctl.source.Secret;

/**
 * A plain param as the journal keeps it: the typed value written as text ({@code 1m30s}), and masked
 * like everything journaled, so a value that contained a secret's value comes back with the mask in it.
 */
final class JournaledParam {
    private JournaledParam() {}

    /** The journal does not hold the value: a secret's value was masked out of it. */
    static boolean masked(String journaled) {
        return journaled.contains(Secret.MASK);
    }

    /**
     * Whether {@code given} is the value the run was started with, equal as the param's type ({@code 90s} is
     * {@code 1m30s}). Only for a journaled text without a mask. A given value that does not convert is not
     * judged here: resolving the params reports it.
     */
    static boolean same(Param p, String journaled, String given) {
        Object was;
        try {
            was = ParamResolver.convert(p, journaled);
        } catch (IllegalArgumentException e) {
            return journaled.equals(given);
        }
        try {
            return was.equals(ParamResolver.convert(p, given));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
