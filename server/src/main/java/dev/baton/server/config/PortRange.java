package dev.baton.server.config;

/**
 * A range of host ports, both ends included, e.g. ENGINE_PORT_RANGE=19000-19999.
 *
 * @param first the lowest port (1 to 65535)
 * @param last the highest port (first to 65535)
 */
public record PortRange(int first, int last) {

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException(first + "-" + last + " (expected: FIRST-LAST with 1 <= FIRST <= LAST "
                                               + "<= 65535)");
        }
    }

    /** Parses "FIRST-LAST" (a single port "P" is P-P); throws IllegalArgumentException saying what is expected. */
    public static PortRange parse(String value) {
        String[] parts = value.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                int port = Integer.parseInt(parts[0].trim());
                return new PortRange(port, port);
            }
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("\"" + value + "\" (expected: FIRST-LAST, e.g. 19000-19999)");
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
