package dev.baton.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.GetJobEndpointRequest;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.JobRoute;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.RouteServiceGrpc;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * External agents advertise endpoints in Hello: they are shown on the agent and on the jobs it runs,
 * and GetJobEndpoint ({@code GET /v1/jobs/{id}/endpoint}) answers where a job is served; bad
 * advertisements refuse the Hello. Real gRPC and REST over loopback, virtual time.
 */
class AgentEndpointsTest {

    private static final Endpoint HTTP = Endpoint.newBuilder().setName("http").setUrl("http://10.1.2.3:8080/live")
                                                 .build();
    private static final Endpoint RTMP = Endpoint.newBuilder().setName("rtmp").setUrl("rtmp://10.1.2.3/app").build();

    private TestBaton baton;
    private Rest rest;

    @BeforeEach
    void start() {
        baton = TestBaton.start();
        rest = new Rest(baton.baseUrl());
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    @Test
    void advertisedEndpointsShowOnTheAgentAndTheJobItRuns() {
        String jobId = submit("edge");
        Rest.Response waiting = rest.get("/v1/jobs/" + jobId + "/endpoint");
        assertThat(waiting.status()).isEqualTo(409);
        assertThat(waiting.json().get("message").asText()).contains("is PENDING: no agent runs it, so it is served nowhere");

        SimulatedAgent agent = connect("edge-1", HTTP, RTMP);
        Agent shown = baton.fleet().getAgent(GetAgentRequest.newBuilder().setId("edge-1").build());
        assertThat(shown.getEndpointsList()).containsExactly(HTTP.toBuilder().setPort(8080).build(),
                                                             RTMP.toBuilder().setPort(0).build());
        Assign assign = agent.acceptAndRun();
        assertThat(assign.getJobId()).isEqualTo(jobId);
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        assertThat(baton.jobs().getJob(dev.baton.proto.v1.GetJobRequest.newBuilder().setId(jobId).build())
                        .getEndpointsList()).extracting(Endpoint::getUrl)
                                            .containsExactly("http://10.1.2.3:8080/live", "rtmp://10.1.2.3/app");
        assertThat(baton.jobs().listJobs(ListJobsRequest.getDefaultInstance()).getJobs(0).getEndpointsCount())
                .isEqualTo(2);
        JobRoute route = routes().getJobEndpoint(GetJobEndpointRequest.newBuilder().setId(jobId).setName("rtmp").build());
        assertThat(route.getUrl()).isEqualTo("rtmp://10.1.2.3/app");
        assertThat(route.getAgentId()).isEqualTo("edge-1");
        assertThat(route.getEngineId()).isEmpty();

        Rest.Response byRest = rest.get("/v1/jobs/" + jobId + "/endpoint");
        assertThat(byRest.status()).isEqualTo(200);
        assertThat(byRest.json().get("url").asText()).isEqualTo("http://10.1.2.3:8080/live");
        Rest.Response unknownName = rest.get("/v1/jobs/" + jobId + "/endpoint?name=https");
        assertThat(unknownName.status()).isEqualTo(404);
        assertThat(unknownName.json().get("message").asText())
                .isEqualTo("endpoint \"https\" of job " + jobId + " not found (it has: http, rtmp)");
        assertThat(rest.get("/v1/jobs/nope/endpoint").status()).isEqualTo(404);
    }

    @Test
    void anAgentWithoutEndpointsServesItsJobsNowhere() {
        SimulatedAgent agent = connect("plain");
        String jobId = submit("edge");
        agent.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        try {
            routes().getJobEndpoint(GetJobEndpointRequest.newBuilder().setId(jobId).build());
            throw new AssertionError("expected FAILED_PRECONDITION");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("runs on agent plain, which has no endpoints");
        }
    }

    @Test
    void aHelloWithBadEndpointsIsRefusedNamingTheField() {
        assertRefused(Endpoint.newBuilder().setName("http").setUrl("not a url").build(),
                      "hello.capabilities.endpoints[0].url: \"not a url\" (expected: an absolute URL with a host");
        assertRefused(Endpoint.newBuilder().setName("HTTP").setUrl("http://h:1").build(),
                      "hello.capabilities.endpoints[0].name: \"HTTP\"");
        SimulatedAgent twice = SimulatedAgent.open(baton.channel(), "twice");
        twice.send(hello("twice", HTTP, HTTP));
        Status status = twice.awaitClosed();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("endpoints[1].name: \"http\" is advertised twice");
        // A refused Hello registers nothing.
        assertThat(baton.fleet().listAgents(dev.baton.proto.v1.ListAgentsRequest.getDefaultInstance())
                        .getAgentsList()).isEmpty();
    }

    private void assertRefused(Endpoint bad, String message) {
        SimulatedAgent agent = SimulatedAgent.open(baton.channel(), "bad");
        agent.send(hello("bad", bad));
        Status status = agent.awaitClosed();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains(message);
    }

    private SimulatedAgent connect(String id, Endpoint... endpoints) {
        SimulatedAgent agent = SimulatedAgent.open(baton.channel(), id);
        agent.send(hello(id, endpoints));
        agent.next(ServerMessage.MsgCase.WELCOME);
        return agent;
    }

    private static AgentMessage hello(String id, Endpoint... endpoints) {
        Hello hello = SimulatedAgent.hello(TestBaton.TOKEN, id, 1, Map.of("zone", "edge"));
        Capabilities caps = hello.getCapabilities().toBuilder().addAllEndpoints(List.of(endpoints)).build();
        return AgentMessage.newBuilder().setHello(hello.toBuilder().setCapabilities(caps)).build();
    }

    private String submit(String zone) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                      .setRequirements(JobRequirements.newBuilder()
                                                                                      .putLabels("zone", zone))
                                                      .build()).getJob().getId();
    }

    private RouteServiceGrpc.RouteServiceBlockingStub routes() {
        return RouteServiceGrpc.newBlockingStub(baton.channel());
    }
}
