package dev.baton.server.fleet;

import java.util.List;
import java.util.stream.Collectors;

import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRoute;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;
import io.grpc.Status;

/** "Where do I connect for job X?": the endpoints of the agent (or its engine) holding the job. On the loop. */
public final class JobRoutes {

    private JobRoutes() {}

    /**
     * The job's route, only the endpoint named {@code name} when it is not empty. FAILED_PRECONDITION
     * when no agent holds the job or that agent has no endpoints; NOT_FOUND for an unknown name.
     */
    public static JobRoute route(Fleet fleet, Job job, String name) {
        AgentRecord agent = job.getAgentId().isEmpty() ? null : fleet.get(job.getAgentId());
        if (agent == null || !agent.jobIds.contains(job.getId())) {
            throw BatonException.failedPrecondition("job %s is %s: no agent runs it, so it is served nowhere",
                                                    job.getId(), job.getStatus());
        }
        List<Endpoint> endpoints = fleet.endpointsOf(agent);
        if (endpoints.isEmpty()) {
            throw BatonException.failedPrecondition(
                    "job %s runs on agent %s, which has no endpoints (pool engines get them from the pool's ports, "
                    + "external agents advertise them in Hello)", job.getId(), agent.id);
        }
        if (!name.isEmpty()) {
            List<Endpoint> named = endpoints.stream().filter(e -> e.getName().equals(name)).toList();
            if (named.isEmpty()) {
                String names = endpoints.stream().map(Endpoint::getName).collect(Collectors.joining(", "));
                throw new BatonException(Status.Code.NOT_FOUND, "endpoint \"" + Validation.printable(name)
                                                                + "\" of job " + job.getId() + " not found (it has: "
                                                                + names + ")");
            }
            endpoints = named;
        }
        return JobRoute.newBuilder().setJobId(job.getId()).setAgentId(agent.id).setEngineId(agent.engineId)
                       .addAllEndpoints(endpoints).setUrl(endpoints.get(0).getUrl()).build();
    }
}
