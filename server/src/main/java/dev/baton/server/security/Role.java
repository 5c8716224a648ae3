package dev.baton.server.security;

import java.util.Locale;

/** What an admin token may do; each role includes everything of the roles before it. */
public enum Role {
    /** Read and watch. */
    VIEWER,
    /** Viewer, plus acting on jobs and agents: submit, stop, mute, metadata, drain. */
    OPERATOR,
    /** Operator, plus templates, pools and anything else. */
    ADMIN;

    /** True when a caller holding this role may call something that needs {@code needed}. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as configured and shown: viewer, operator, admin. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), or null when there is none. */
    static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equalsIgnoreCase(text.trim())) {
                return role;
            }
        }
        return null;
    }
}
