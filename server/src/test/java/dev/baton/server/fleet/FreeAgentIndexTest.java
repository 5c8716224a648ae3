package dev.baton.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.ServerMessage;
import io.grpc.stub.StreamObserver;

class FreeAgentIndexTest {

    private final FreeAgentIndex index = new FreeAgentIndex();

    private AgentRecord online(String id, int slots) {
        AgentRecord agent = new AgentRecord(id);
        agent.freeAgents = index;
        agent.slots = slots;
        agent.session = new AgentSession("s-" + id, id, new Discard());
        agent.capacityChanged();
        return agent;
    }

    private AgentRecord first(int slots) {
        return index.first(slots, agent -> true);
    }

    @Test
    void picksTheLeastLoadedAgentAndBreaksTiesById() {
        AgentRecord b = online("b", 2);
        AgentRecord a = online("a", 2);
        assertThat(first(1)).isSameAs(a);
        a.addJob("j1", 1);
        assertThat(first(1)).isSameAs(b);
        b.addJob("j2", 1);
        assertThat(first(1)).isSameAs(a);
    }

    @Test
    void comparesLoadAsAFractionOfSlots() {
        AgentRecord big = online("big", 4);
        AgentRecord small = online("small", 2);
        big.addJob("j1", 1);
        small.addJob("j2", 1);
        assertThat(first(1)).as("1/4 is less loaded than 1/2").isSameAs(big);
    }

    @Test
    void aFullAgentLeavesTheIndexAndComesBackWhenASlotFrees() {
        AgentRecord a = online("a", 1);
        a.addJob("j1", 1);
        assertThat(index.isEmpty()).isTrue();
        assertThat(first(1)).isNull();
        a.removeJob("j1", 1);
        assertThat(first(1)).isSameAs(a);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void anAgentWithTooFewFreeSlotsIsPassedOver() {
        AgentRecord a = online("a", 3);
        AgentRecord b = online("b", 4);
        a.addJob("j1", 2);
        b.addJob("j2", 2);
        assertThat(first(2)).as("a has 1 free slot, b has 2").isSameAs(b);
    }

    @Test
    void drainedAgentsAreNotOfferedAndUndrainedOnesAre() {
        AgentRecord a = online("a", 1);
        a.drain = true;
        a.capacityChanged();
        assertThat(first(1)).isNull();
        a.drain = false;
        a.selfDrain = true;
        a.capacityChanged();
        assertThat(first(1)).isNull();
        a.selfDrain = false;
        a.capacityChanged();
        assertThat(first(1)).isSameAs(a);
    }

    @Test
    void anAgentThatWentOfflineIsDroppedEvenIfTheIndexWasNotTold() {
        AgentRecord a = online("a", 1);
        AgentRecord b = online("b", 2);
        b.addJob("j1", 1);
        a.session.markClosed();
        assertThat(first(1)).as("a's transport closed before the loop heard of it").isSameAs(b);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void theAcceptTestSkipsAgentsWithoutRemovingThem() {
        AgentRecord a = online("a", 1);
        AgentRecord b = online("b", 1);
        assertThat(index.first(1, agent -> agent != a)).isSameAs(b);
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void aForgottenAgentCanRejoinUnderTheSameId() {
        AgentRecord old = online("a", 1);
        old.session = null;
        old.capacityChanged();
        AgentRecord again = online("a", 1);
        assertThat(first(1)).isSameAs(again);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void staysOrderedThroughManyChanges() {
        List<AgentRecord> agents = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            agents.add(online(String.format("a%02d", i), 1 + i % 4));
        }
        java.util.Random random = new java.util.Random(7);
        for (int step = 0; step < 2_000; step++) {
            AgentRecord agent = agents.get(random.nextInt(agents.size()));
            String job = "j" + random.nextInt(6);
            if (random.nextBoolean()) {
                agent.addJob(job, 1);
            } else {
                agent.removeJob(job, 1);
            }
            AgentRecord expected = null;
            for (AgentRecord candidate : agents) {
                if (candidate.freeSlots() > 0 && (expected == null
                        || (long) candidate.usedSlots * expected.slots < (long) expected.usedSlots * candidate.slots)) {
                    expected = candidate;
                }
            }
            assertThat(first(1)).as("step %d", step).isSameAs(expected);
        }
    }

    /** The index never sends; the session only needs a stream to exist. */
    private static final class Discard implements StreamObserver<ServerMessage> {
        @Override public void onNext(ServerMessage value) {}
        @Override public void onError(Throwable t) {}
        @Override public void onCompleted() {}
    }
}
