package dev.baton.server.engines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PortSpec;

/**
 * The hash of what an engine container is made of (image, command, env, labels, resources, slots,
 * mounts), written as a label on each container: a container whose label differs is drifted and gets
 * replaced. Scaling knobs (min free, max, grace, TTLs) are not part of it: changing them replaces
 * nothing. Secret env values enter only as their own SHA-256 digest, and the hash input is never kept.
 */
final class ConfigHash {

    private ConfigHash() {}

    static String of(PoolSpec spec) {
        MessageDigest sha = sha256();
        field(sha, "image", spec.getImage());
        for (String arg : spec.getCommandList()) {
            field(sha, "command", arg);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(spec.getEnvMap()).entrySet()) {
            boolean secret = spec.getSecretEnvList().contains(e.getKey());
            field(sha, "env", e.getKey());
            field(sha, secret ? "secret" : "value", secret ? digest(e.getValue()) : e.getValue());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(spec.getLabelsMap()).entrySet()) {
            field(sha, "label", e.getKey());
            field(sha, "value", e.getValue());
        }
        field(sha, "cpus", Double.toString(spec.getResources().getCpus()));
        field(sha, "memory", Long.toString(spec.getResources().getMemoryBytes()));
        field(sha, "pids", Long.toString(spec.getResources().getPids()));
        field(sha, "slots", Integer.toString(spec.getSlots()));
        for (Mount m : spec.getMountsList()) {
            field(sha, "mount", m.getSource() + "\0" + m.getTarget() + "\0" + m.getReadOnly());
        }
        // Ports change the container's env and labels; probes do not (Baton runs them), so they are left out.
        for (PortSpec port : spec.getPortsList()) {
            field(sha, "port", port.getName() + "\0" + port.getFirstPort() + "\0" + port.getLastPort() + "\0"
                               + port.getScheme());
        }
        // Host access enters only when asked for, so engines made before these fields existed keep their hash.
        if (spec.getPrivileged()) {
            field(sha, "privileged", "true");
        }
        if (spec.getHostPid()) {
            field(sha, "hostPid", "true");
        }
        if (spec.getHostIpc()) {
            field(sha, "hostIpc", "true");
        }
        for (String cap : spec.getCapAddList()) {
            field(sha, "capAdd", cap);
        }
        for (String device : spec.getDevicesList()) {
            field(sha, "device", device);
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static String digest(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Length-prefixed, so that no two different specs feed the same bytes. */
    private static void field(MessageDigest sha, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update((name + ":" + bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
