package dev.baton.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Which server an agent tries next: the leader a standby names, else the next one of its list. */
class ServerTargetsTest {

    private static Metadata leaderIs(String address) {
        Metadata trailers = new Metadata();
        trailers.put(ServerTargets.LEADER_KEY, address);
        return trailers;
    }

    @Test
    void aStandbysHintIsFollowedAtOnceEvenToAServerNotInTheList() {
        ServerTargets targets = new ServerTargets("a:1, b:2");

        assertThat(targets.afterSessionEnded(Status.UNAVAILABLE, leaderIs("b:2"))).isTrue();
        assertThat(targets.current()).isEqualTo("b:2");
        assertThat(targets.afterSessionEnded(Status.UNAVAILABLE, leaderIs("c:3"))).isTrue();
        assertThat(targets.current()).isEqualTo("c:3");
        assertThat(targets).hasToString("a:1,b:2,c:3");
    }

    @Test
    void withoutAHintOrWithOneNamingTheSameServerTheNextServerIsTried() {
        ServerTargets targets = new ServerTargets("a:1,b:2");

        assertThat(targets.afterSessionEnded(Status.UNAVAILABLE, null)).isFalse();
        assertThat(targets.current()).isEqualTo("b:2");
        assertThat(targets.afterSessionEnded(Status.UNAVAILABLE, leaderIs("b:2"))).isFalse();
        assertThat(targets.current()).isEqualTo("a:1");
        assertThat(targets.afterSessionEnded(Status.PERMISSION_DENIED, leaderIs("b:2"))).isFalse();
        assertThat(targets.current()).isEqualTo("b:2");
    }

    @Test
    void aBlankListIsRefused() {
        assertThatThrownBy(() -> new ServerTargets(" , ")).hasMessageContaining("expected: host:port[,host:port...]");
    }
}
