package dev.baton.server.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.WatchRequest;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.JobRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Opens watch streams for every transport (gRPC, gRPC-Web, SSE) and ends them when the server
 * stops. Registers the agent and job snapshot sources of the control plane; other domains add theirs
 * on the hub (see {@link SnapshotSource}).
 */
public final class WatchStreams {

    private static final Logger log = LoggerFactory.getLogger(WatchStreams.class);

    private final ControlLoop loop;
    private final WatchHub hub;
    private final Set<WatchStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong streamIds = new AtomicLong();
    private volatile boolean stopping;

    private final MeterRegistry registry;

    public WatchStreams(ControlPlane plane, MeterRegistry registry) {
        this.loop = plane.loop();
        this.hub = plane.hub();
        this.registry = registry;
        Gauge.builder("baton.watch.streams", open, Set::size)
             .description("open watch streams, all transports").register(registry);
        var fleet = plane.fleet();
        hub.addSnapshotSource(SnapshotSource.agents(() -> fleet.all().stream().map(fleet::toProto)));
        hub.addSnapshotSource(SnapshotSource.jobs(() -> plane.jobBook().all().stream(), JobRecord::id, JobRecord::job,
                                                       JobRecord::packedBytes));
    }

    /**
     * Starts a stream for {@code request}: subscribes on the control loop and sends through
     * {@code transport} on {@code executor}. Throws INVALID_ARGUMENT for a bad request and
     * UNAVAILABLE while the server stops.
     */
    public WatchStream open(WatchRequest request, String transportName, WatchTransport transport,
                            Executor executor) {
        WatchFilter filter = WatchFilter.of(request);
        if (stopping) {
            throw BatonException.unavailable("server shutting down; watch again once it is back");
        }
        Long from = request.hasFromRevision() ? request.getFromRevision() : null;
        WatchStream stream = new WatchStream(this, transport, executor,
                                             transportName + "-" + streamIds.incrementAndGet(), from);
        open.add(stream);
        loop.execute(() -> {
            if (!open.contains(stream)) {
                return;
            }
            WatchHub.Subscribed subscribed = hub.subscribe(filter, from, stream::wake);
            stream.subscribed(subscribed.subscription());
            log.info("event=watch-opened stream={} filter=\"{}\" from_revision={} start={} initial_events={} "
                     + "revision={}", stream, filter, from == null ? "none" : from, subscribed.start(),
                     subscribed.initialEvents(), hub.revision());
        });
        return stream;
    }

    /** Called by a stream that ended (reason: client-closed, fell-behind, server-stopping): stop feeding it. */
    void closed(WatchStream stream, String reason) {
        open.remove(stream);
        registry.counter("baton.watch.streams.ended", "reason", reason).increment();
        loop.execute(() -> {
            WatchSubscription subscription = stream.subscription();
            if (subscription != null) {
                hub.remove(subscription);
            }
        });
    }

    /** Ends every stream with a message saying how to resume; new streams are refused. */
    public void stop() {
        stopping = true;
        open.forEach(WatchStream::serverStopping);
    }

    /** Streams currently open (all transports). */
    public int openStreams() {
        return open.size();
    }
}
