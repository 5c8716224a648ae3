package dev.baton.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.ProcessStats;
import dev.baton.bench.harness.Report;
import dev.baton.bench.load.Channels;
import dev.baton.bench.server.ServerTarget;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.bench.load.JobClock;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 6, REST vs gRPC: GetJob and SubmitJob throughput through REST/JSON (HTTP/1.1 and h2c)
 * as a ratio of native gRPC, closed loop with the same number of calls in flight, the phases
 * alternating within one run so that the machine's noise hits both sides alike.
 */
@Command(name = "rest", mixinStandardHelpOptions = true,
         description = "Scenario 6: GetJob and SubmitJob throughput, REST/JSON as a ratio of gRPC, same run.")
public final class RestVsGrpcScenario implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--concurrency", defaultValue = "64", description = "calls in flight")
    int concurrency;

    @Option(names = "--phase-seconds", defaultValue = "8")
    int phaseSeconds;

    @Option(names = "--rounds", defaultValue = "2", description = "alternations of all phases within a run")
    int rounds;

    @Option(names = "--agents", defaultValue = "100", description = "agents that take the submitted jobs (0 ms jobs)")
    int agents;

    @Option(names = "--stored-jobs", defaultValue = "1000", description = "jobs GetJob picks from")
    int storedJobs;

    private static final String[] PHASES = {"GetJob gRPC", "GetJob REST HTTP/1.1", "GetJob REST h2c",
                                            "SubmitJob gRPC", "SubmitJob REST HTTP/1.1", "SubmitJob REST h2c"};

    @Override
    public Integer call() {
        Report report = new Report("REST vs gRPC", Main.commandLine());
        for (String phase : PHASES) {
            report.metric(phase + " calls/s", "calls/s", null);
        }
        report.metric("GetJob REST HTTP/1.1 / gRPC", "ratio", null);
        report.metric("GetJob REST h2c / gRPC", "ratio", null);
        report.metric("SubmitJob REST HTTP/1.1 / gRPC", "ratio", null);
        report.metric("SubmitJob REST h2c / gRPC", "ratio", null);
        for (String phase : PHASES) {
            report.metric(phase + " server CPU", "% of a core", null);
        }
        boolean ok = true;
        for (int run = 1; run <= common.runs; run++) {
            Common.log("rest run %d of %d", run, common.runs);
            ok &= runOnce(run, report);
            report.endRun();
        }
        report.note("Closed loop, " + concurrency + " calls in flight, " + phaseSeconds + " s per phase (the first second "
                    + "left out), phases alternated " + rounds + " times per run; a run's value is the mean of its "
                    + "rounds. gRPC: one HTTP/2 connection (grpc-java). REST: Armeria WebClient, HTTP/1.1 (a pool of "
                    + "connections, one call each at a time) or h2c (one connection).");
        report.note("SubmitJob is end to end: durable write, then " + agents + " simulated agents take each job and "
                    + "stop it at once, so submit throughput includes dispatch on the server's control loop. GetJob "
                    + "reads one of " + storedJobs + " stored jobs at random.");
        report.note("Server: " + common.describeServer() + ".");
        return common.finish(report, ok);
    }

    private boolean runOnce(int run, Report report) {
        try (ServerTarget server = common.server("rest", run).start();
             Channels grpc = Channels.open(server.port(), 1, 1, "grpc");
             SimFleet fleet = SimFleet.builder(server.port()).agents(agents).connections(agents).build();
             ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(1).build()) {
            fleet.connect(1000, Duration.ofSeconds(60));
            fleet.startHeartbeats();
            JobServiceGrpc.JobServiceStub stub = JobServiceGrpc.newStub(grpc.get(0));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < storedJobs; i++) {
                ids.add(RestVsGrpcScenario.<dev.baton.proto.v1.SubmitJobResponse>unary(c -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(submitRequest(), c))
                        .join().getJob().getId());
            }
            WebClient h1 = WebClient.builder("h1c://127.0.0.1:" + server.port()).factory(factory).build();
            WebClient h2 = WebClient.builder("h2c://127.0.0.1:" + server.port()).factory(factory).build();
            String body = "{\"inlineConfig\": {\"command\": [\"sleep\", \"0\"], \"bench\": \"rest\"}}";
            List<Supplier<CompletableFuture<?>>> calls = List.of(
                    () -> RestVsGrpcScenario.<dev.baton.proto.v1.Job>unary(c -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                         .getJob(GetJobRequest.newBuilder().setId(pick(ids)).build(), c)),
                    () -> rest(h1.get("/v1/jobs/" + pick(ids)).aggregate(), 200),
                    () -> rest(h2.get("/v1/jobs/" + pick(ids)).aggregate(), 200),
                    () -> RestVsGrpcScenario.<dev.baton.proto.v1.SubmitJobResponse>unary(
                            c -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(submitRequest(), c)),
                    () -> rest(h1.execute(post(), body).aggregate(), 201),
                    () -> rest(h2.execute(post(), body).aggregate(), 201));
            // Warm-up of every path, not measured.
            for (Supplier<CompletableFuture<?>> call : calls) {
                drive(call, concurrency, Duration.ofSeconds(2), Duration.ZERO);
            }
            double[][] rates = new double[PHASES.length][rounds];
            double[][] cpu = new double[PHASES.length][rounds];
            long errors = 0;
            for (int round = 0; round < rounds; round++) {
                for (int p = 0; p < PHASES.length; p++) {
                    var serverCpu = ProcessStats.CpuWindow.start(server.pid());
                    Driven driven = drive(calls.get(p), concurrency, Duration.ofSeconds(phaseSeconds), Duration.ofSeconds(1));
                    rates[p][round] = driven.perSecond;
                    cpu[p][round] = server.separateProcess() ? serverCpu.percentOfOneCore() : Double.NaN;
                    errors += driven.errors;
                    Common.log("%s: %.0f calls/s, %d errors, server CPU %.0f%%", PHASES[p], driven.perSecond, driven.errors,
                               cpu[p][round]);
                }
            }
            double[] mean = new double[PHASES.length];
            for (int p = 0; p < PHASES.length; p++) {
                mean[p] = java.util.Arrays.stream(rates[p]).average().orElse(Double.NaN);
                report.record(PHASES[p] + " calls/s", mean[p]);
                report.record(PHASES[p] + " server CPU", java.util.Arrays.stream(cpu[p]).average().orElse(Double.NaN));
            }
            report.record("GetJob REST HTTP/1.1 / gRPC", mean[1] / mean[0]);
            report.record("GetJob REST h2c / gRPC", mean[2] / mean[0]);
            report.record("SubmitJob REST HTTP/1.1 / gRPC", mean[4] / mean[3]);
            report.record("SubmitJob REST h2c / gRPC", mean[5] / mean[3]);
            return errors == 0;
        }
    }

    private static SubmitJobRequest submitRequest() {
        return SubmitJobRequest.newBuilder().setInlineConfig(JobClock.config(-1, false)).build();
    }

    private static RequestHeaders post() {
        return RequestHeaders.builder(HttpMethod.POST, "/v1/jobs").contentType(MediaType.JSON_UTF_8).build();
    }

    private static String pick(List<String> ids) {
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    private static CompletableFuture<?> rest(CompletableFuture<AggregatedHttpResponse> response, int expected) {
        return response.thenApply(r -> {
            if (r.status().code() != expected) {
                throw new IllegalStateException("HTTP " + r.status() + ": " + r.contentUtf8());
            }
            return r;
        });
    }

    private static <T> CompletableFuture<T> unary(java.util.function.Consumer<StreamObserver<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.accept(new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        return result;
    }

    private record Driven(double perSecond, long errors) {}

    /** {@code concurrency} chains of calls, each starting the next when the last completes, for {@code length}. */
    private static Driven drive(Supplier<CompletableFuture<?>> call, int concurrency, Duration length, Duration skip) {
        long start = System.nanoTime();
        long countFrom = start + skip.toNanos();
        long end = start + length.toNanos();
        AtomicLong counted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            chains.add(done);
            next(call, end, countFrom, counted, errors, done);
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).orTimeout(length.toSeconds() + 30, TimeUnit.SECONDS)
                         .exceptionally(t -> null).join();
        double window = (end - countFrom) / 1e9;
        return new Driven(counted.get() / window, errors.get());
    }

    private static void next(Supplier<CompletableFuture<?>> call, long end, long countFrom, AtomicLong counted,
                             AtomicLong errors, CompletableFuture<Void> done) {
        if (System.nanoTime() - end >= 0) {
            done.complete(null);
            return;
        }
        call.get().whenComplete((value, error) -> {
            long now = System.nanoTime();
            if (error != null) {
                errors.incrementAndGet();
            } else if (now - countFrom >= 0 && now - end < 0) {
                counted.incrementAndGet();
            }
            next(call, end, countFrom, counted, errors, done);
        });
    }
}
