package dev.baton.agent.runner;

import java.time.Duration;

/**
 * A job's process slot, registered before the process starts, so a stop or kill that arrives
 * while the process is being started is applied to it as soon as it exists.
 */
final class TrackedProcess {

    private ChildProcess child;
    private Duration pendingStop;
    private boolean pendingKill;

    synchronized void attach(ChildProcess started) {
        child = started;
        if (pendingKill) {
            started.kill();
        } else if (pendingStop != null) {
            started.requestStop(pendingStop);
        }
    }

    synchronized void stop(Duration grace) {
        if (child != null) {
            child.requestStop(grace);
        } else if (pendingStop == null) {
            pendingStop = grace;
        }
    }

    synchronized void kill() {
        if (child != null) {
            child.kill();
        } else {
            pendingKill = true;
        }
    }

    synchronized ChildProcess child() {
        return child;
    }
}
