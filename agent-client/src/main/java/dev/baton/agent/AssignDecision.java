package dev.baton.agent;

import static java.util.Objects.requireNonNull;

/**
 * A {@link JobHandler}'s answer to an assignment: take it, or refuse it with a reason the server
 * records (the job is then offered to another agent).
 */
public final class AssignDecision {

    private static final AssignDecision ACCEPT = new AssignDecision(true, "");

    private final boolean accepted;
    private final String reason;

    private AssignDecision(boolean accepted, String reason) {
        this.accepted = accepted;
        this.reason = reason;
    }

    /** Take the job. */
    public static AssignDecision accept() {
        return ACCEPT;
    }

    /** Refuse the job, saying why (e.g. {@code "config.command is missing"}). */
    public static AssignDecision reject(String reason) {
        requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason: blank (expected: why the job is refused)");
        }
        return new AssignDecision(false, reason);
    }

    /** True to take the job. */
    public boolean accepted() {
        return accepted;
    }

    /** Why the job was refused; empty when accepted. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return accepted ? "accept" : "reject(" + reason + ')';
    }
}
