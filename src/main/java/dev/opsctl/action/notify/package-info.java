/**
 * The {@code notify} step type: a Slack-compatible message posted to a chat webhook from the
 * controller, and the {@link dev.opsctl.action.notify.Webhook} client the run-event notifier shares.
 * The webhook URL is a credential and never appears in a message.
 */
package dev.opsctl.action.notify;
