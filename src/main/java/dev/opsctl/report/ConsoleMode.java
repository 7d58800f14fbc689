package dev.opsctl.report;

import java.util.Map;

/**
 * How the console renderer draws: {@code live} redraws a progress board in place (a real terminal
 * whose TERM is not 'dumb'); {@code color} uses ANSI colours (a terminal, and NO_COLOR not set to
 * any value, see no-color.org). {@code width} bounds board lines so they never wrap.
 */
public record ConsoleMode(boolean live, boolean color, int width) {
    public static final ConsoleMode PLAIN = new ConsoleMode(false, false, 80);

    public static ConsoleMode detect(Map<String, String> env, boolean terminal) {
        boolean dumb = "dumb".equals(env.getOrDefault("TERM", "dumb"));
        boolean color = terminal && !env.containsKey("NO_COLOR") && !dumb;
        int width = 80;
        try {
            width = Math.max(40, Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip()));
        } catch (NumberFormatException e) {
            // keep 80: a garbled COLUMNS must not break the run's output
        }
        return new ConsoleMode(terminal && !dumb, color, width);
    }
}
