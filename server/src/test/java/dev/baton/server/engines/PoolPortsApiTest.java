package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.HealthProbe;
import dev.baton.proto.v1.ListPoolsRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PortSpec;
import dev.baton.server.testing.Rest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A pool's named ports and probes through the API (engines disabled, no Docker): defaults, checks, hash. */
class PoolPortsApiTest {

    @TempDir
    static Path dataDir;
    static EngineTestServer server;
    static Rest rest;

    @BeforeAll
    static void start() {
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0).dockerEnabled(false).build(), null);
        rest = new Rest("http://127.0.0.1:" + server.baton.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void portsAndProbesGetTheirDefaultsAndChangeTheConfigHash() {
        Pool plain = server.createPool("plain", PoolSpec.newBuilder().setImage("x:1").build());
        Pool ported = server.createPool("ported", PoolSpec.newBuilder().setImage("x:1").addPorts(
                PortSpec.newBuilder().setName("http").setProbe(HealthProbe.newBuilder().setHttpPath("/health"))).build());
        PortSpec http = ported.getSpec().getPorts(0);
        assertThat(http.getScheme()).isEqualTo("http");
        assertThat(http.getFirstPort()).isZero(); // 0-0: ENGINE_PORT_RANGE, decided at allocation
        assertThat(Durations.toSeconds(http.getProbe().getInterval())).isEqualTo(10);
        assertThat(Durations.toSeconds(http.getProbe().getTimeout())).isEqualTo(2);
        assertThat(http.getProbe().getFailureThreshold()).isEqualTo(3);
        assertThat(Durations.toSeconds(ported.getSpec().getReplaceUnhealthyAfter())).isEqualTo(30);
        // Ports are part of what a container is made of; probes and the replacement time are not (Baton runs them).
        assertThat(ported.getStatus().getConfigHash()).isNotEqualTo(plain.getStatus().getConfigHash());
        PoolSpec otherProbe = ported.getSpec().toBuilder().setReplaceUnhealthyAfter(Durations.fromSeconds(1))
                                    .setPorts(0, http.toBuilder().clearProbe()).build();
        assertThat(ConfigHash.of(otherProbe)).isEqualTo(ported.getStatus().getConfigHash());
    }

    @Test
    void badPortsAreRefusedNamingTheFieldAndNothingIsStored() {
        refused(PortSpec.newBuilder().setName("HTTP"), "pool.spec.ports[0].name: \"HTTP\" (expected: lower-case");
        refused(PortSpec.newBuilder().setName("http").setFirstPort(20000).setLastPort(19000),
                "pool.spec.ports[0]: range 20000-19000 (expected: firstPort <= lastPort within 1-65535");
        refused(PortSpec.newBuilder().setName("http").setScheme("ht tp"), "pool.spec.ports[0].scheme: \"ht tp\"");
        refused(PortSpec.newBuilder().setName("http").setProbe(HealthProbe.newBuilder().setHttpPath("@evil.example/")),
                "pool.spec.ports[0].probe.httpPath: \"@evil.example/\" (expected: a path starting with '/'");
        refused(PortSpec.newBuilder().setName("http").setProbe(HealthProbe.newBuilder().setFailureThreshold(-1)),
                "pool.spec.ports[0].probe.failureThreshold: -1 (expected: 1 to 100)");
        assertThat(server.engines.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList())
                .noneMatch(p -> p.getName().equals("bad"));

        Rest.Response twice = rest.post("/v1/pools", """
                {"name": "bad", "spec": {"image": "x:1", "ports": [{"name": "http"}, {"name": "http"}]}}""");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("message").asText())
                .isEqualTo("pool.spec.ports[1].name: \"http\" is declared twice (expected: unique port names)");
    }

    private static void refused(PortSpec.Builder port, String message) {
        assertThatThrownBy(() -> server.createPool("bad", PoolSpec.newBuilder().setImage("x:1").addPorts(port).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }
}
