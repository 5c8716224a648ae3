package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PortSpec;
import dev.baton.server.config.PortRange;

/** Port allocation against the real host: ports held by engines or bound by a process are skipped. Ports 19480-19489. */
class PortAllocatorTest {

    private final PortAllocator allocator = new PortAllocator(new PortRange(19486, 19489),
                                                              PortAllocator::bindableOnLoopback);

    @Test
    void takesTheLowestPortNoEngineHoldsAndNoProcessListensOn() throws Exception {
        PoolSpec spec = spec(port("http", 19480, 19483), port("admin", 19480, 19483));
        try (ServerSocket listener = bound(19481)) {
            PortAllocator.Allocation allocation = allocator.allocate(spec, Set.of(19480));
            assertThat(allocation.ok()).isTrue();
            // 19480 is held by an engine, 19481 by this test's listener; two names never share a port.
            assertThat(allocation.ports()).containsEntry("http", 19482).containsEntry("admin", 19483);
        }
        assertThat(PortAllocator.bindableOnLoopback(19481)).isTrue();
    }

    @Test
    void aPortWithoutARangeUsesTheServerRange() {
        PortAllocator.Allocation allocation = allocator.allocate(spec(PortSpec.newBuilder().setName("http").build()),
                                                                 Set.of(19486));
        assertThat(allocation.ports()).containsEntry("http", 19487);
    }

    @Test
    void aFullRangeSaysWhatHoldsItsPorts() throws Exception {
        try (ServerSocket listener = bound(19485)) {
            PortAllocator.Allocation allocation = allocator.allocate(spec(port("http", 19484, 19485)), Set.of(19484));
            assertThat(allocation.ok()).isFalse();
            assertThat(allocation.problem()).startsWith(
                    "no free host port for \"http\" in 19484-19485 (1 held by engines, 1 in use on the host)");
        }
    }

    @Test
    void aScanStopsAfterItsBindAttemptsAndTheNextCallGoesOnWhereItStopped() throws Exception {
        PortAllocator capped = new PortAllocator(new PortRange(19486, 19489), PortAllocator::bindableOnLoopback, 1);
        PoolSpec spec = spec(port("http", 19480, 19483));
        try (ServerSocket a = bound(19480); ServerSocket b = bound(19481)) {
            assertThat(capped.allocate(spec, Set.of()).problem()).isEqualTo(
                    "no free host port for \"http\" in 19480-19483 yet: 1 ports in use on the host (0 held by "
                    + "engines); the next pass goes on from 19481");
            assertThat(capped.allocate(spec, Set.of()).problem()).endsWith("the next pass goes on from 19482");
            assertThat(capped.allocate(spec, Set.of()).ports()).containsEntry("http", 19482);
        }
        // A scan that found a port starts from the bottom of the range again.
        assertThat(capped.allocate(spec, Set.of()).ports()).containsEntry("http", 19480);
    }

    private static ServerSocket bound(int port) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return socket;
    }

    private static PortSpec port(String name, int first, int last) {
        return PortSpec.newBuilder().setName(name).setFirstPort(first).setLastPort(last).build();
    }

    private static PoolSpec spec(PortSpec... ports) {
        return PoolSpec.newBuilder().addAllPorts(java.util.List.of(ports)).build();
    }
}
