package dev.baton.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;

/**
 * The role every gRPC method needs, by full method name. Every method the server serves must be
 * listed here (start-up and a unit test check it), so a new RPC is never left open by accident;
 * a method missing anyway needs {@link Role#ADMIN}.
 */
public final class MethodAccess {

    /** Services outside admin auth: agents authenticate in Hello (AGENT_TOKEN); health is for probes. */
    static final Set<String> OPEN_SERVICES = Set.of("baton.v1.AgentService", "grpc.health.v1.Health");

    /** gRPC server reflection: viewer, unless AUTH_OPEN_ENDPOINTS lists {@code reflection}. */
    public static final String REFLECTION_SERVICE = "grpc.reflection.v1.ServerReflection";

    static final Map<String, Role> ROLES = Map.ofEntries(
            Map.entry("baton.v1.JobService/SubmitJob", Role.OPERATOR),
            Map.entry("baton.v1.JobService/GetJob", Role.VIEWER),
            Map.entry("baton.v1.JobService/ListJobs", Role.VIEWER),
            Map.entry("baton.v1.JobService/StopJob", Role.OPERATOR),
            Map.entry("baton.v1.JobService/MuteJob", Role.OPERATOR),
            Map.entry("baton.v1.JobService/UnmuteJob", Role.OPERATOR),
            Map.entry("baton.v1.JobService/GetJobMetadata", Role.VIEWER),
            Map.entry("baton.v1.JobService/UpdateJobMetadata", Role.OPERATOR),
            Map.entry("baton.v1.TemplateService/CreateTemplate", Role.ADMIN),
            Map.entry("baton.v1.TemplateService/GetTemplate", Role.VIEWER),
            Map.entry("baton.v1.TemplateService/ListTemplates", Role.VIEWER),
            Map.entry("baton.v1.TemplateService/UpdateTemplate", Role.ADMIN),
            Map.entry("baton.v1.TemplateService/DeleteTemplate", Role.ADMIN),
            Map.entry("baton.v1.FleetService/ListAgents", Role.VIEWER),
            Map.entry("baton.v1.FleetService/GetAgent", Role.VIEWER),
            Map.entry("baton.v1.FleetService/DrainAgent", Role.OPERATOR),
            Map.entry("baton.v1.EngineService/ListEngines", Role.VIEWER),
            Map.entry("baton.v1.EngineService/GetEngine", Role.VIEWER),
            Map.entry("baton.v1.EngineService/ListPools", Role.VIEWER),
            Map.entry("baton.v1.EngineService/GetPool", Role.VIEWER),
            Map.entry("baton.v1.EngineService/CreatePool", Role.ADMIN),
            Map.entry("baton.v1.EngineService/UpdatePool", Role.ADMIN),
            Map.entry("baton.v1.EngineService/DeletePool", Role.ADMIN),
            Map.entry("baton.v1.EngineService/ScalePool", Role.ADMIN),
            Map.entry("baton.v1.EngineService/ListHosts", Role.VIEWER),
            Map.entry("baton.v1.EngineService/GetHost", Role.VIEWER),
            Map.entry("baton.v1.EngineService/CreateHost", Role.ADMIN),
            Map.entry("baton.v1.EngineService/UpdateHost", Role.ADMIN),
            Map.entry("baton.v1.EngineService/DeleteHost", Role.ADMIN),
            Map.entry("baton.v1.EngineService/CordonHost", Role.ADMIN),
            Map.entry("baton.v1.EngineService/UncordonHost", Role.ADMIN),
            Map.entry("baton.v1.EngineService/DrainHost", Role.ADMIN),
            Map.entry("baton.v1.RouteService/GetJobEndpoint", Role.VIEWER),
            Map.entry("baton.v1.LogService/GetJobLogs", Role.VIEWER),
            Map.entry("baton.v1.LogService/FollowLogs", Role.VIEWER),
            Map.entry("baton.v1.WebhookService/CreateWebhook", Role.ADMIN),
            Map.entry("baton.v1.WebhookService/GetWebhook", Role.VIEWER),
            Map.entry("baton.v1.WebhookService/ListWebhooks", Role.VIEWER),
            Map.entry("baton.v1.WebhookService/UpdateWebhook", Role.ADMIN),
            Map.entry("baton.v1.WebhookService/DeleteWebhook", Role.ADMIN),
            Map.entry("baton.v1.WebhookService/ListWebhookDeliveries", Role.VIEWER),
            Map.entry("baton.v1.WebhookService/SendTestEvent", Role.ADMIN),
            Map.entry("baton.v1.SystemService/GetStatus", Role.VIEWER),
            Map.entry("baton.v1.WatchService/Watch", Role.VIEWER),
            Map.entry(REFLECTION_SERVICE + "/ServerReflectionInfo", Role.VIEWER));

    private MethodAccess() {}

    /** The role {@code fullMethodName} needs; empty when the method is outside admin auth. */
    public static Optional<Role> required(String fullMethodName) {
        if (OPEN_SERVICES.contains(MethodDescriptor.extractFullServiceName(fullMethodName))) {
            return Optional.empty();
        }
        return Optional.of(ROLES.getOrDefault(fullMethodName, Role.ADMIN));
    }

    /** True when {@code fullMethodName} has an entry (or belongs to an open service). */
    public static boolean classified(String fullMethodName) {
        return OPEN_SERVICES.contains(MethodDescriptor.extractFullServiceName(fullMethodName))
               || ROLES.containsKey(fullMethodName);
    }

    /** Refuses to start a server that serves a method this table does not classify. */
    public static void requireClassified(List<ServerServiceDefinition> services) {
        List<String> missing = new ArrayList<>();
        for (ServerServiceDefinition service : services) {
            service.getMethods().forEach(method -> {
                String name = method.getMethodDescriptor().getFullMethodName();
                if (!classified(name)) {
                    missing.add(name);
                }
            });
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("gRPC methods without a role in MethodAccess: " + missing
                                            + " (add each to MethodAccess.ROLES)");
        }
    }
}
