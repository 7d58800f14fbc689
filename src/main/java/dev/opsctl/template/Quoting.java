package dev.opsctl.template;

/** How substituted values are written into the text. */
public enum Quoting {
    /** as they are: messages, file contents, URLs */
    NONE,
    /** each value single-quoted for POSIX sh unless written {@code raw(x)} */
    SHELL
}
