package dev.opsctl.runbook.model;

/** Where a step's commands run: on the host, or on the controller (e.g. a load-balancer CLI) on the host's behalf. */
public enum RunOn {
    HOST,
    CONTROLLER
}
