/**
 * Helm 3 as a target, on helm-java (the only package that imports it): {@link dev.opsctl.target.helm.HelmTarget}
 * renders, lints and manages releases; {@link dev.opsctl.target.helm.HelmTarget#lazy()} defers loading
 * the native library (~100 MB mapped, 1-2.5 s) to the first helm call, so runs without helm steps never pay for it.
 * May import {@code source}, {@code event} and the target SPI.
 */
package dev.opsctl.target.helm;
