package dev.opsctl.source;

import java.util.Collection;
import java.util.Optional;

/** Suggests the closest known name for a misspelled one. */
public final class DidYouMean {
    private DidYouMean() {}

    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** A hint for an unknown name: "did you mean 'x'?" or the list of what is allowed. */
    public static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates)
                .map(c -> "did you mean '" + c + "'?")
                .orElseGet(() -> "expected one of: " + String.join(", ", candidates.stream().sorted().toList()));
    }

    /**
     * A hint for an unknown name: "did you mean 'x'?", else {@code otherwise} when it is not empty, else
     * the list of what is allowed; empty when there is nothing to suggest.
     */
    public static Optional<String> hint(String word, Collection<String> candidates, String otherwise) {
        Optional<String> close = closest(word, candidates);
        if (close.isPresent()) {
            return Optional.of("did you mean '" + close.get() + "'?");
        }
        if (!otherwise.isEmpty() || candidates.isEmpty()) {
            return otherwise.isEmpty() ? Optional.empty() : Optional.of(otherwise);
        }
        return Optional.of("expected one of: " + String.join(", ", candidates.stream().sorted().toList()));
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
