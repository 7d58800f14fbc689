package dev.opsctl.report;

/** Escaping for HTML and SVG text and attribute values: every value from a journal goes through here. */
final class Html {
    private Html() {}

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // control characters are not allowed in HTML text; a journal message may carry them from a command's output
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A CSS class name from a journal value (an outcome, a state): only letters, digits, '-' and '_'. */
    static String cls(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A coloured label with a symbol and words: the colour is never the only signal. */
    static String badge(String state) {
        return "<span class=\"badge\" style=\"background:" + Outcomes.stateColour(state) + "\">" + Outcomes.symbol(state) + " "
                + esc(Outcomes.words(state)) + "</span>";
    }

    /** A badge in the colour and with the symbol of {@code look}, saying {@code words}. */
    static String label(String look, String words) {
        return "<span class=\"badge\" style=\"background:" + Outcomes.colour(look) + "\">" + Outcomes.symbol(look) + " "
                + esc(words) + "</span>";
    }

    static String outcome(String outcome) {
        return "<span class=\"badge\" style=\"background:" + Outcomes.colour(outcome) + "\">" + Outcomes.symbol(outcome) + " "
                + esc(Outcomes.words(outcome)) + "</span>";
    }
}
