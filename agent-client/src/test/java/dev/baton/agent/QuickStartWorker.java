package dev.baton.agent;

/** The quick start of docs/agents.md, compiled with the tests so the documented code keeps working. */
public final class QuickStartWorker {
    public static void main(String[] args) throws InterruptedException {
        BatonAgent.builder()
                .server("localhost:8080").token(System.getenv("BATON_TOKEN"))
                .slots(2).label("gpu", "false")
                .handler(job -> {                          // on a job thread of its own
                    job.running();
                    for (int step = 1; step <= 10 && !job.stopRequested(); step++) {
                        Thread.sleep(1000);                // the work; a stop interrupts it
                        job.progress("step", step);
                    }
                })                                         // return: STOPPED; throw: FAILED
                .build().start().awaitTermination();       // SIGTERM drains, then this returns
    }
}
