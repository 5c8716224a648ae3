package dev.baton.agent.internal;

/** One attempt of one job: what every ack, update and command is about. */
record JobKey(String jobId, int attempt) {

    @Override
    public String toString() {
        return jobId + '#' + attempt;
    }
}
