/**
 * Run output, all of it subscribers of {@link dev.opsctl.event.RunEvent}: the console renderer
 * (live on a terminal, plain lines otherwise), the JSON-lines writer behind {@code -o json} and its
 * generated field reference. May import {@code source} and {@code event}; writes only to the streams
 * it is given.
 */
package dev.opsctl.report;
