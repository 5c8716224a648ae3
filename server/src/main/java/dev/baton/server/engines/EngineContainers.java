package dev.baton.server.engines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.jobs.PoolCapacity;

/**
 * The container of an engine: the pool's image, command, env and limits, Baton's labels, and the
 * BATON_* env its agent needs to dial back (server address, token, engine id, labels, slots).
 */
final class EngineContainers {

    private EngineContainers() {}

    /** Where an engine finds the certificates it trusts for the server, when Baton serves TLS. */
    static final String CA_PATH = "/run/baton/server-ca.pem";
    /** Where an engine finds the client certificate and key it presents, when ENGINE_CLIENT_CERT_FILE is set. */
    static final String CLIENT_CERT_PATH = "/run/baton/client-cert.pem";
    static final String CLIENT_KEY_PATH = "/run/baton/client-key.pem";

    /**
     * {@code config}'s engine TLS files (ENGINE_CA_FILE or TLS_CERT_FILE, ENGINE_CLIENT_CERT_FILE and its key)
     * are mounted read-only and named in BATON_CA_FILE, BATON_CLIENT_CERT and BATON_CLIENT_KEY.
     */
    static ContainerSpec of(PoolRecord pool, EngineRecord engine, String instanceId, String serverAddress,
                            BatonConfig config) {
        PoolSpec spec = pool.spec();
        Map<String, String> env = new LinkedHashMap<>(spec.getEnvMap());
        env.put("BATON_SERVER", serverAddress);
        env.put("BATON_TOKEN", config.agentToken());
        env.put("BATON_ENGINE_ID", engine.id());
        env.put("BATON_AGENT_ID", engine.id());
        env.put("BATON_AGENT_NAME", engine.containerName());
        env.put("BATON_POOL", pool.name());
        env.put("BATON_LABELS", agentLabels(pool));
        env.put("BATON_SLOTS", Integer.toString(spec.getSlots()));
        engine.ports.forEach((name, port) -> env.put(EnginePorts.envName(name), Integer.toString(port)));
        List<Mount> mounts = new ArrayList<>(spec.getMountsList());
        Path trustFile = config.engineTrustFile();
        if (trustFile != null) {
            // The reference agent reads these (an SDK-built agent hands them to its builder): the engine dials back over TLS, trusting this file.
            env.put("BATON_TLS", "true");
            env.put("BATON_CA_FILE", CA_PATH);
            mounts.add(readOnly(trustFile, CA_PATH));
        }
        if (config.engineClientCertFile() != null) {
            env.put("BATON_CLIENT_CERT", CLIENT_CERT_PATH);
            env.put("BATON_CLIENT_KEY", CLIENT_KEY_PATH);
            mounts.add(readOnly(config.engineClientCertFile(), CLIENT_CERT_PATH));
            mounts.add(readOnly(config.engineClientKeyFile(), CLIENT_KEY_PATH));
        }
        return new ContainerSpec(engine.containerName(), spec.getImage(), spec.getCommandList(), env,
                                 EngineLabels.of(instanceId, pool, engine), spec.getResources().getCpus(),
                                 spec.getResources().getMemoryBytes(), spec.getResources().getPids(),
                                 mounts, spec.getPrivileged(), spec.getHostPid(), spec.getHostIpc(),
                                 spec.getCapAddList(), spec.getDevicesList());
    }

    private static Mount readOnly(Path source, String target) {
        return Mount.newBuilder().setSource(source.toAbsolutePath().toString()).setTarget(target).setReadOnly(true).build();
    }

    /** "baton.pool=NAME,k=v,...": jobs that require the pool match on the first label. */
    static String agentLabels(PoolRecord pool) {
        StringBuilder sb = new StringBuilder(PoolCapacity.POOL_LABEL).append('=').append(pool.name());
        new TreeMap<>(pool.spec().getLabelsMap()).forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        return sb.toString();
    }
}
