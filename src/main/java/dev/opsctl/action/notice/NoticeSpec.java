package dev.opsctl.action.notice;

/** A message for the operator and the journal: {@code level} info, warning or error; {@code message} a template. */
public record NoticeSpec(String level, String message) {}
