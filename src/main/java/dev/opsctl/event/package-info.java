/**
 * What a run emits: the sealed {@link dev.opsctl.event.RunEvent} hierarchy and the
 * {@link dev.opsctl.event.EventBus} that hands each event to every subscriber (console, journal,
 * JSON lines, report). A leaf package besides {@code source}.
 */
package dev.opsctl.event;
