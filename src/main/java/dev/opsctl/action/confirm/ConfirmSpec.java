package dev.opsctl.action.confirm;

/** The question a {@code confirm} step asks (a template). */
public record ConfirmSpec(String question) {}
