package dev.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.server.time.VirtualTimeSource;
import io.grpc.Status;

/**
 * The gate's decisions for callers that cannot be made on this machine (a non-loopback peer: tests
 * talk over loopback only) and the modes' edges. The transports are covered by AdminAuthTest.
 */
class AdminGateTest {

    private static final String VIEWER = "viewer-token-0000000001";
    private static final List<AdminToken> TOKENS = List.of(AdminToken.of("dash", Role.VIEWER, VIEWER));
    private static final InetAddress LOOPBACK_V4 = InetAddress.getLoopbackAddress();
    private final VirtualTimeSource time = new VirtualTimeSource();

    private AdminGate gate(AuthMode mode) {
        return new AdminGate(mode, TOKENS, time, 1000, 1000);
    }

    @Test
    void localModeAdmitsAnonymousLoopbackAsAdminButNotOtherHosts() throws Exception {
        AdminGate gate = gate(AuthMode.LOCAL);
        assertThat(gate.admit("CreatePool", Role.ADMIN, null, LOOPBACK_V4).role()).isEqualTo(Role.ADMIN);
        assertThat(gate.admit("CreatePool", Role.ADMIN, null, InetAddress.getByName("::1")).anonymous()).isTrue();
        InetAddress remote = InetAddress.getByName("192.0.2.10");
        assertThatThrownBy(() -> gate.admit("ListJobs", Role.VIEWER, null, remote))
                .isInstanceOfSatisfying(AccessDenied.class,
                                        e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(gate.admit("ListJobs", Role.VIEWER, "Bearer " + VIEWER, remote).name()).isEqualTo("dash");
    }

    @Test
    void aPresentedTokenAlwaysDecidesEvenFromLoopback() {
        AdminGate gate = gate(AuthMode.LOCAL);
        assertThatThrownBy(() -> gate.admit("ListJobs", Role.VIEWER, "Bearer wrong-token-000000000", LOOPBACK_V4))
                .hasMessage("the bearer token is not a known admin token");
        assertThatThrownBy(() -> gate.admit("SubmitJob", Role.OPERATOR, "bearer " + VIEWER, LOOPBACK_V4))
                .hasMessage("SubmitJob needs role operator; token \"dash\" has role viewer");
    }

    @Test
    void requiredModeRefusesAnonymousLoopback() {
        assertThatThrownBy(() -> gate(AuthMode.REQUIRED).admit("GetJob", Role.VIEWER, null, LOOPBACK_V4))
                .isInstanceOfSatisfying(AccessDenied.class,
                                        e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void offModeAdmitsEveryoneAsAdmin() throws Exception {
        Caller caller = gate(AuthMode.OFF).admit("DeletePool", Role.ADMIN, "Bearer nonsense",
                                                 InetAddress.getByName("192.0.2.10"));
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void rateLimitRefillsInVirtualTimeAndAnonymousCallersShareOneBucket() {
        AdminGate gate = new AdminGate(AuthMode.LOCAL, TOKENS, time, 2, 3);
        for (int i = 0; i < 3; i++) {
            gate.admit("ListJobs", Role.VIEWER, null, LOOPBACK_V4);
        }
        assertThatThrownBy(() -> gate.admit("ListJobs", Role.VIEWER, null, LOOPBACK_V4))
                .isInstanceOfSatisfying(AccessDenied.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).isEqualTo("rate limit of 2 admin requests/s exceeded for the anonymous "
                                                         + "caller (loopback) (ADMIN_RATE_LIMIT_RPS); retry after 1 s");
                });
        assertThat(gate.admit("ListJobs", Role.VIEWER, "Bearer " + VIEWER, LOOPBACK_V4).name())
                .as("a token has its own bucket").isEqualTo("dash");
        time.advance(Duration.ofMillis(500));
        gate.admit("ListJobs", Role.VIEWER, null, LOOPBACK_V4);
        assertThatThrownBy(() -> gate.admit("ListJobs", Role.VIEWER, null, LOOPBACK_V4))
                .isInstanceOf(AccessDenied.class);
    }
}
