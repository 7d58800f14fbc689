/**
 * The {@code prometheus} step type: one PromQL instant query from the controller, reduced to one
 * value and checked against {@code expect}; also the probe behind triggers such as "error rate over
 * 5% for 5m". Talks to Prometheus through {@link dev.opsctl.target.prometheus.PrometheusClient}.
 */
package dev.opsctl.action.prometheus;
