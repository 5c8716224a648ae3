package dev.baton.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.RestartPolicy;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.UnavailablePolicy;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.fleet.Fleet;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.IdempotencyRecord;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.watch.WatchHub;
import dev.baton.server.webhooks.WebhookUrls;

/**
 * Accepts jobs: validates the request, dedupes it by idempotency key, checks availability before
 * queuing, and acknowledges only once the job (and its key) are durable. A rejected or failed
 * submit leaves nothing behind. Runs on the control loop.
 */
public final class JobSubmission {

    private static final Logger log = LoggerFactory.getLogger(JobSubmission.class);
    private static final Duration MAX_WAIT_TIMEOUT = Duration.ofDays(30);

    /** A submitted job, and whether it was a replay of an earlier submit with the same key. */
    public record Result(Job job, boolean replayed) {}

    private record InFlight(String digest, CompletableFuture<Result> result) {}

    private final BatonConfig config;
    private final ControlLoop loop;
    private final JobBook book;
    private final Fleet fleet;
    private final TemplateRegistry templates;
    private final IdempotencyIndex idempotency;
    private final JobLifecycle lifecycle;
    private final BatonStore store;
    private final WatchHub hub;
    private final PoolCapacity pools;
    private final Map<String, InFlight> inFlight = new HashMap<>();

    public JobSubmission(BatonConfig config, ControlLoop loop, JobBook book, Fleet fleet, TemplateRegistry templates,
                         IdempotencyIndex idempotency, JobLifecycle lifecycle, BatonStore store, WatchHub hub,
                         PoolCapacity pools) {
        this.config = config;
        this.loop = loop;
        this.book = book;
        this.fleet = fleet;
        this.templates = templates;
        this.idempotency = idempotency;
        this.lifecycle = lifecycle;
        this.store = store;
        this.hub = hub;
        this.pools = pools;
    }

    public CompletableFuture<Result> submit(SubmitJobRequest request) {
        Instant now = loop.time().now();
        String key = request.getIdempotencyKey();
        if (key.length() > 256) {
            throw BatonException.invalidArgument("idempotencyKey: %d characters (expected: at most 256)", key.length());
        }
        // The digest (a SHA-256 of the whole request) only serves to compare requests under one key.
        String digest = key.isEmpty() ? "" : IdempotencyIndex.digest(request);
        if (!key.isEmpty()) {
            IdempotencyRecord existing = idempotency.find(key, now);
            if (existing != null) {
                return CompletableFuture.completedFuture(replay(key, digest, existing.requestDigest(),
                                                                book.require(existing.jobId()).job()));
            }
            InFlight pending = inFlight.get(key);
            if (pending != null) {
                return pending.result().thenApply(first -> replay(key, digest, pending.digest(), first.job()));
            }
        }
        Job job = newJob(request, now);
        checkAvailability(job.getRequirements(), request.getOnUnavailable());

        long sequence = book.nextSequence();
        // PENDING, or already ASSIGNED when an agent is free: then this commit is the only one
        // before the Assign goes out.
        Job first = lifecycle.placements().place(job, now);
        List<StoreWrite> writes = key.isEmpty()
                ? List.of(new StoreWrite.PutJob(first, sequence))
                : List.of(new StoreWrite.PutJob(first, sequence), new StoreWrite.PutIdempotencyKey(
                        new IdempotencyRecord(key, job.getId(), digest, now.plus(config.idempotencyRetention()))));
        CompletableFuture<Result> result = new CompletableFuture<>();
        // Completed on the store's writer thread, without a hop through the loop: the loop is handed
        // the job first, so any request that reaches the loop after the ack finds it.
        CompletableFuture<Void> written;
        try {
            written = store.write(writes);
        } catch (RuntimeException e) {
            lifecycle.placements().notStored(first); // a store that throws instead of failing the future
            throw e;
        }
        written.whenComplete((ignored, error) -> {
            loop.execute(() -> {
                if (error == null) {
                    boolean held = lifecycle.placements().stored(first);
                    accepted(job, first, held, sequence, key, digest, now);
                } else {
                    lifecycle.placements().notStored(first);
                    inFlight.remove(key);
                }
            });
            if (error != null) {
                result.completeExceptionally(BatonException.unavailable("job not accepted: %s", error.getMessage()));
            } else {
                result.complete(new Result(job, false));
            }
        });
        if (!key.isEmpty()) {
            inFlight.put(key, new InFlight(digest, result));
        }
        return result;
    }

    /**
     * Books a durable job and puts it in the queue, or sends its Assign when it was placed at
     * submit ({@code first} is then its ASSIGNED snapshot; {@code held}: its agent's slots are
     * still its own); on the loop. Watchers see it added as PENDING either way, then ASSIGNED.
     */
    private void accepted(Job job, Job first, boolean held, long sequence, String key, String digest,
                          Instant now) {
        JobRecord record = new JobRecord(first, sequence);
        book.add(record);
        if (!key.isEmpty()) {
            inFlight.remove(key);
            idempotency.put(new IdempotencyRecord(key, job.getId(), digest, now.plus(config.idempotencyRetention())));
        }
        hub.jobChanged(WatchEvent.Type.ADDED, job);
        if (first.getStatus() == Job.Status.ASSIGNED) {
            hub.jobChanged(WatchEvent.Type.UPDATED, first);
            lifecycle.placedAtSubmit(record, held);
        } else {
            lifecycle.enqueue(record);
        }
        log.info("event=job-submitted job={} template={} key_set={}", job.getId(), job.getTemplateId(), !key.isEmpty());
    }

    private static Result replay(String key, String digest, String firstDigest, Job job) {
        if (!digest.equals(firstDigest)) {
            throw BatonException.alreadyExists(
                    "idempotencyKey \"%s\" was already used for a different request (job %s); use a new key for a "
                    + "new job, or repeat the original request to get that job", Validation.printable(key), job.getId());
        }
        return new Result(job, true);
    }

    private Job newJob(SubmitJobRequest request, Instant now) {
        boolean hasTemplate = !request.getTemplateId().isEmpty();
        if (hasTemplate == request.hasInlineConfig()) {
            throw BatonException.invalidArgument(hasTemplate
                    ? "templateId and inlineConfig are both set (expected: exactly one of them)"
                    : "neither templateId nor inlineConfig is set (expected: exactly one of them)");
        }
        Struct config;
        JobRequirements requirements = request.getRequirements();
        RestartPolicy defaultPolicy = RestartPolicy.RESTART_POLICY_NEVER;
        Job.Builder job = Job.newBuilder();
        if (hasTemplate) {
            Template template = templates.find(request.getTemplateId());
            if (template == null) {
                throw BatonException.notFound("template", request.getTemplateId());
            }
            config = template.getConfig();
            if (!request.hasRequirements()) {
                requirements = template.getRequirements();
            }
            if (template.getRestartPolicy() != RestartPolicy.RESTART_POLICY_UNSPECIFIED) {
                defaultPolicy = template.getRestartPolicy();
            }
            job.setTemplateId(template.getId()).setTemplateVersion(template.getVersion());
        } else {
            config = request.getInlineConfig();
            if (config.getSerializedSize() > this.config.maxInlineConfigBytes()) {
                throw BatonException.invalidArgument("inlineConfig: %d bytes (expected: at most %d)",
                                                     config.getSerializedSize(), this.config.maxInlineConfigBytes());
            }
        }
        validateRequirements(requirements);
        Validation.labels("labels", request.getLabelsMap());
        if (request.getPriority() < 0 || request.getPriority() > 1000) {
            throw BatonException.invalidArgument("priority: %d (expected: 0 to 1000)", request.getPriority());
        }
        if (request.getMaxAttempts() < 0 || request.getMaxAttempts() > 1000) {
            throw BatonException.invalidArgument("maxAttempts: %d (expected: 0 for the default, up to 1000)",
                                                 request.getMaxAttempts());
        }
        Duration wait = config().waitTimeout();
        if (request.hasWaitTimeout()) {
            wait = Duration.ofMillis(Durations.toMillis(request.getWaitTimeout()));
            if (wait.isNegative() || wait.compareTo(MAX_WAIT_TIMEOUT) > 0) {
                throw BatonException.invalidArgument("waitTimeout: %s (expected: 0s to 30 days)",
                                                     Durations.toString(request.getWaitTimeout()));
            }
        }
        if (request.hasMetadata()) {
            Validation.metadata(request.getMetadata());
        }
        if (!request.getCallbackUrl().isEmpty()) {
            WebhookUrls.check("callbackUrl", request.getCallbackUrl(), config().webhooks());
        }
        RestartPolicy policy = Validation.restartPolicy(request.getRestartPolicy(), defaultPolicy);
        com.google.protobuf.Timestamp created = Timestamps.fromMillis(now.toEpochMilli());
        return job.setId(JobIds.next(now))
                  .setConfig(config)
                  .setStatus(Job.Status.PENDING)
                  .setStatusReason("waiting for placement")
                  .setRestartPolicy(policy)
                  .setMaxAttempts(request.getMaxAttempts() == 0 ? config().defaultMaxAttempts() : request.getMaxAttempts())
                  .setRequirements(requirements)
                  .setPriority(request.getPriority())
                  .setIdempotencyKey(request.getIdempotencyKey())
                  .setMetadata(request.getMetadata().toBuilder().setIsMuted(false))
                  .putAllLabels(request.getLabelsMap())
                  .setCallbackUrl(request.getCallbackUrl())
                  .setCreatedAt(created)
                  .setUpdatedAt(created)
                  .setWaitTimeout(Durations.fromMillis(wait.toMillis()))
                  .build();
    }

    private BatonConfig config() {
        return config;
    }

    private void validateRequirements(JobRequirements requirements) {
        Validation.labels("requirements.labels", requirements.getLabelsMap());
        if (requirements.getSlots() < 0) {
            throw BatonException.invalidArgument("requirements.slots: %d (expected: >= 0)", requirements.getSlots());
        }
        if (requirements.getSlots() > config.maxSlotsPerAgent()) {
            throw BatonException.failedPrecondition(
                    "requirements.slots: %d is more than any agent may have (MAX_SLOTS_PER_AGENT=%d)",
                    requirements.getSlots(), config.maxSlotsPerAgent());
        }
        if (!requirements.getPool().isEmpty() && !pools.exists(requirements.getPool())) {
            throw BatonException.failedPrecondition("requirements.pool: pool \"%s\" does not exist",
                                                    Validation.printable(requirements.getPool()));
        }
    }

    /**
     * With fail-fast, refuses a job that no connected agent, no agent within the lost-after window and
     * no pool that can still grow could run.
     */
    private void checkAvailability(JobRequirements requirements, UnavailablePolicy requested) {
        UnavailablePolicy policy = requested == UnavailablePolicy.UNAVAILABLE_POLICY_UNSPECIFIED
                                   || requested == UnavailablePolicy.UNRECOGNIZED
                                   ? config.defaultUnavailablePolicy() : requested;
        if (policy != UnavailablePolicy.UNAVAILABLE_POLICY_FAIL_FAST) {
            return;
        }
        Instant now = loop.time().now();
        int slots = Placement.slotsOf(requirements);
        for (AgentRecord agent : fleet.all()) {
            boolean reachable = agent.online() ? !agent.drain()
                    : agent.disconnectedAt() != null && !agent.disconnectedAt().plus(config.lostAfter()).isBefore(now);
            if (reachable && agent.slots() >= slots && Placement.labelsMatch(agent, requirements)) {
                return;
            }
        }
        if (!requirements.getPool().isEmpty() && pools.canGrow(requirements.getPool())) {
            return;
        }
        throw BatonException.failedPrecondition("no agent can run this job (fail fast): %s",
                                                PlacementExplainer.explain(requirements, fleet.all()));
    }
}
