package dev.baton.server.config;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What pools may ask of the host beyond an ordinary container (ENGINE_HOST_ACCESS): nothing by default.
 * A comma-separated list of {@code privileged}, {@code hostPid}, {@code hostIpc}, {@code cap:NAME} (a
 * Linux capability pools may add, e.g. {@code cap:NET_ADMIN}) and {@code device:/dev/PATH} (a host device
 * pools may map). Host bind mounts have their own allow-list, ENGINE_MOUNT_ROOTS.
 */
public record EngineHostAccess(boolean privileged, boolean hostPid, boolean hostIpc, Set<String> capabilities,
                               Set<String> devices) {

    /** The setting's name, for error messages that tell the operator what would allow a request. */
    public static final String SETTING = "ENGINE_HOST_ACCESS";

    private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z0-9_]{1,31}");
    private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9._/-]{1,200}");

    public EngineHostAccess {
        capabilities = Set.copyOf(capabilities);
        devices = Set.copyOf(devices);
    }

    /** Nothing beyond an ordinary container. */
    public static EngineHostAccess none() {
        return new EngineHostAccess(false, false, false, Set.of(), Set.of());
    }

    /** Parses the setting; a bad item is a {@link ConfigException} naming it. */
    public static EngineHostAccess parse(String value) {
        boolean privileged = false;
        boolean hostPid = false;
        boolean hostIpc = false;
        Set<String> capabilities = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        for (String raw : value.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            String lower = item.toLowerCase(Locale.ROOT);
            if (lower.equals("privileged")) {
                privileged = true;
            } else if (lower.equals("hostpid")) {
                hostPid = true;
            } else if (lower.equals("hostipc")) {
                hostIpc = true;
            } else if (lower.startsWith("cap:") && CAPABILITY.matcher(normalCapability(item.substring(4))).matches()) {
                capabilities.add(normalCapability(item.substring(4)));
            } else if (lower.startsWith("device:") && DEVICE.matcher(item.substring(7)).matches()
                       && !item.contains("..")) {
                devices.add(item.substring(7));
            } else {
                throw new ConfigException(SETTING, value, "a comma-separated list of privileged, hostPid, hostIpc, "
                                          + "cap:NAME, device:/dev/PATH; \"" + item + "\" is none of them");
            }
        }
        return new EngineHostAccess(privileged, hostPid, hostIpc, capabilities, devices);
    }

    /** "net_admin" and "CAP_NET_ADMIN" both mean NET_ADMIN, as in Docker. */
    public static String normalCapability(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }
}
