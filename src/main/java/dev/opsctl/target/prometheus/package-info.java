/**
 * Prometheus's HTTP API from the controller: instant and range queries, readiness, scrape targets
 * and TSDB snapshots, on the JDK HTTP client and Jackson. Every failure leaves this package as a
 * {@link dev.opsctl.target.TargetException}. May import {@code source} and {@code target}.
 */
package dev.opsctl.target.prometheus;
