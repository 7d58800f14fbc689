/**
 * Run output, all of it subscribers of {@link dev.opsctl.event.RunEvent}: the console renderer
 * (live on a terminal, plain lines otherwise), the JSON-lines writer behind {@code -o json} and its
 * generated field reference, the run report (a {@link dev.opsctl.report.RunReport} read from the
 * journal file, rendered as Markdown and self-contained HTML, written at run end by
 * {@link dev.opsctl.report.ReportWriter}) and {@link dev.opsctl.report.NotifySink} (events to a chat
 * webhook). May import {@code source}, {@code event} and {@code action} (the webhook client); reads
 * the journal's file format, not the engine's classes; writes only to the streams and files it is given.
 */
package dev.opsctl.report;
