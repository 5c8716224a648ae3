package dev.baton.server.engines;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.jobs.PoolCapacity;

/**
 * The container of an engine: the pool's image, command, env and limits, Baton's labels, and the
 * BATON_* env its agent needs to dial back (server address, token, engine id, labels, slots).
 */
final class EngineContainers {

    private EngineContainers() {}

    /** Where an engine finds the certificates it trusts for the server, when Baton serves TLS. */
    static final String CA_PATH = "/run/baton/server-ca.pem";

    /** {@code trustFile}: the PEM file engines trust for a TLS server (mounted read-only); null for plaintext. */
    static ContainerSpec of(PoolRecord pool, EngineRecord engine, String instanceId, String serverAddress,
                            String token, java.nio.file.Path trustFile) {
        PoolSpec spec = pool.spec();
        Map<String, String> env = new LinkedHashMap<>(spec.getEnvMap());
        env.put("BATON_SERVER", serverAddress);
        env.put("BATON_TOKEN", token);
        env.put("BATON_ENGINE_ID", engine.id());
        env.put("BATON_AGENT_ID", engine.id());
        env.put("BATON_AGENT_NAME", engine.containerName());
        env.put("BATON_POOL", pool.name());
        env.put("BATON_LABELS", agentLabels(pool));
        env.put("BATON_SLOTS", Integer.toString(spec.getSlots()));
        engine.ports.forEach((name, port) -> env.put(EnginePorts.envName(name), Integer.toString(port)));
        java.util.List<Mount> mounts = new java.util.ArrayList<>(spec.getMountsList());
        if (trustFile != null) {
            // The reference agent reads these (an SDK-built agent hands them to its builder): the engine dials back over TLS, trusting this file.
            env.put("BATON_TLS", "true");
            env.put("BATON_CA_FILE", CA_PATH);
            mounts.add(Mount.newBuilder().setSource(trustFile.toAbsolutePath().toString()).setTarget(CA_PATH)
                            .setReadOnly(true).build());
        }
        return new ContainerSpec(engine.containerName(), spec.getImage(), spec.getCommandList(), env,
                                 EngineLabels.of(instanceId, pool, engine), spec.getResources().getCpus(),
                                 spec.getResources().getMemoryBytes(), spec.getResources().getPids(),
                                 mounts, spec.getPrivileged(), spec.getHostPid(), spec.getHostIpc(),
                                 spec.getCapAddList(), spec.getDevicesList());
    }

    /** "baton.pool=NAME,k=v,...": jobs that require the pool match on the first label. */
    static String agentLabels(PoolRecord pool) {
        StringBuilder sb = new StringBuilder(PoolCapacity.POOL_LABEL).append('=').append(pool.name());
        new TreeMap<>(pool.spec().getLabelsMap()).forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        return sb.toString();
    }
}
