package dev.baton.server.engines;

import java.util.List;
import java.util.Map;

import dev.baton.proto.v1.Mount;

/**
 * Everything Docker needs to create one engine container (host network, init, limits). The host access
 * fields come only from the pool's validated spec fields, never from its env or labels.
 */
record ContainerSpec(String name, String image, List<String> command, Map<String, String> env,
                     Map<String, String> labels, double cpus, long memoryBytes, long pids, List<Mount> mounts,
                     boolean privileged, boolean hostPid, boolean hostIpc, List<String> capAdd, List<String> devices) {

    /** Env without values, for logs: secrets must never be logged. */
    @Override
    public String toString() {
        return "ContainerSpec[name=" + name + ", image=" + image + ", env_keys=" + env.keySet() + ", cpus=" + cpus
               + ", memory=" + memoryBytes + ", pids=" + pids + ", mounts=" + mounts.size() + ", privileged=" + privileged
               + ", hostPid=" + hostPid + ", hostIpc=" + hostIpc + ", capAdd=" + capAdd + ", devices=" + devices + "]";
    }
}
