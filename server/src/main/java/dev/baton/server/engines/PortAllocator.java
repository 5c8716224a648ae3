package dev.baton.server.engines;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.baton.proto.v1.PortSpec;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.config.PortRange;

/**
 * Picks a host port per named port of a pool: the lowest port of its range that no engine holds and
 * that can be bound on 127.0.0.1 right now (so a port another process listens on is skipped).
 * Engines hold their ports until they are forgotten, which happens only after their container is gone.
 * A scan makes at most {@link #MAX_HOST_CHECKS} bind attempts (they run on the control loop); one
 * that stops there says so, and the next call goes on where it stopped.
 */
final class PortAllocator {

    /** Whether a port can be bound on the host now. */
    @FunctionalInterface
    interface HostPorts {
        boolean bindable(int port);
    }

    /** The ports chosen, or why none could be (a full range). */
    record Allocation(Map<String, Integer> ports, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    /** Bind attempts per range and call at most: they run on the control loop, which must stay quick. */
    static final int MAX_HOST_CHECKS = 64;

    private final PortRange defaultRange;
    private final HostPorts host;
    private final int maxHostChecks;
    /** Where the next scan of a range starts, after a scan that stopped at {@link #maxHostChecks}. */
    private final Map<PortRange, Integer> resumeAt = new HashMap<>();

    PortAllocator(PortRange defaultRange, HostPorts host) {
        this(defaultRange, host, MAX_HOST_CHECKS);
    }

    PortAllocator(PortRange defaultRange, HostPorts host, int maxHostChecks) {
        this.defaultRange = defaultRange;
        this.host = host;
        this.maxHostChecks = maxHostChecks;
    }

    /** Binds 127.0.0.1:port and lets go at once: a listener of any other process makes this fail. */
    static boolean bindableOnLoopback(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // a port in TIME_WAIT is free; a listener still refuses the bind
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    PortRange rangeOf(PortSpec port) {
        return port.getFirstPort() == 0 && port.getLastPort() == 0 ? defaultRange
                                                                      : new PortRange(port.getFirstPort(), port.getLastPort());
    }

    Allocation allocate(PoolSpec spec, Set<Integer> reserved) {
        Map<String, Integer> chosen = new LinkedHashMap<>();
        Set<Integer> taken = new HashSet<>(reserved);
        for (PortSpec port : spec.getPortsList()) {
            PortRange range = rangeOf(port);
            int start = resumeAt.getOrDefault(range, range.first());
            int held = 0;
            int busy = 0;
            Integer found = null;
            for (int i = 0; i < range.size() && found == null; i++) {
                int p = range.first() + (start - range.first() + i) % range.size();
                if (taken.contains(p)) {
                    held++;
                } else if (busy == maxHostChecks) {
                    resumeAt.put(range, p);
                    return new Allocation(Map.of(), "no free host port for \"" + port.getName() + "\" in " + range
                                                     + " yet: " + busy + " ports in use on the host (" + held
                                                     + " held by engines); the next pass goes on from " + p);
                } else if (!host.bindable(p)) {
                    busy++;
                } else {
                    found = p;
                }
            }
            if (found == null) {
                resumeAt.remove(range);
                return new Allocation(Map.of(), "no free host port for \"" + port.getName() + "\" in " + range + " ("
                                                 + held + " held by engines, " + busy + " in use on the host); "
                                                 + "engines are created again once a port frees up");
            }
            resumeAt.remove(range);
            taken.add(found);
            chosen.put(port.getName(), found);
        }
        return new Allocation(chosen, null);
    }
}
