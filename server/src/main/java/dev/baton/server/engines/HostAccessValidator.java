package dev.baton.server.engines;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.dockerjava.api.model.Capability;

import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.config.EngineHostAccess;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/**
 * Pools are not a way into the host: privileged mode, the host's PID and IPC namespaces, added
 * capabilities and host devices are refused unless ENGINE_HOST_ACCESS lists them. Each refusal names
 * the field and the exact item that would allow it. The request is invalid for this server whoever
 * sends it, so INVALID_ARGUMENT (400), like a mount outside ENGINE_MOUNT_ROOTS; PERMISSION_DENIED
 * (403) stays reserved for a caller whose token lacks a role.
 */
final class HostAccessValidator {

    private static final Set<String> CAPABILITIES = Arrays.stream(Capability.values()).map(Enum::name)
                                                          .collect(Collectors.toUnmodifiableSet());

    private final EngineHostAccess allowed;

    HostAccessValidator(EngineHostAccess allowed) {
        this.allowed = allowed;
    }

    void check(PoolSpec spec) {
        flag("pool.spec.privileged", spec.getPrivileged(), allowed.privileged(), "privileged",
             "would get full access to the host's devices and kernel");
        flag("pool.spec.hostPid", spec.getHostPid(), allowed.hostPid(), "hostPid",
             "would see and signal every process of the host");
        flag("pool.spec.hostIpc", spec.getHostIpc(), allowed.hostIpc(), "hostIpc",
             "would share the host's shared memory and semaphores");
        for (int i = 0; i < spec.getCapAddCount(); i++) {
            String field = "pool.spec.capAdd[" + i + "]";
            String name = EngineHostAccess.normalCapability(spec.getCapAdd(i));
            if (!CAPABILITIES.contains(name)) {
                throw BatonException.invalidArgument("%s: \"%s\" is not a Linux capability (expected: e.g. NET_ADMIN)",
                                                     field, Validation.printable(spec.getCapAdd(i)));
            }
            if (!allowed.capabilities().contains(name)) {
                throw refused(field, spec.getCapAdd(i), "cap:" + name, "an added capability");
            }
        }
        for (int i = 0; i < spec.getDevicesCount(); i++) {
            String field = "pool.spec.devices[" + i + "]";
            String device = spec.getDevices(i);
            if (!allowed.devices().contains(device)) {
                throw refused(field, device, "device:" + device, "a host device");
            }
        }
    }

    private static void flag(String field, boolean requested, boolean allowed, String item, String why) {
        if (requested && !allowed) {
            throw BatonException.invalidArgument("%s: true is not allowed on this server: the engine %s (expected: "
                                                 + "false, or a server started with %s including \"%s\")",
                                                 field, why, EngineHostAccess.SETTING, item);
        }
    }

    private static BatonException refused(String field, String value, String item, String what) {
        return BatonException.invalidArgument("%s: \"%s\" is not allowed on this server: %s reaches into the host "
                                              + "(expected: none, or a server started with %s including \"%s\")",
                                              field, Validation.printable(value), what, EngineHostAccess.SETTING,
                                              Validation.printable(item));
    }
}
