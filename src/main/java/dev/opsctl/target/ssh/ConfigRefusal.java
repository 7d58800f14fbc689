package dev.opsctl.target.ssh;

/** Why opsctl will not connect to a host as its ssh config describes it (a token it cannot expand, a looping ProxyJump). */
final class ConfigRefusal extends IllegalArgumentException {
    ConfigRefusal(String message) {
        super(message);
    }
}
