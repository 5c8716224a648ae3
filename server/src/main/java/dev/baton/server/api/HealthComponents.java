package dev.baton.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.baton.proto.v1.ComponentStatus;
import dev.baton.server.control.ControlPlane;

/** The health of each component, for /healthz and GetStatus. */
public final class HealthComponents {

    private final ControlPlane plane;
    private final List<Supplier<ComponentStatus>> extra = new ArrayList<>();

    public HealthComponents(ControlPlane plane) {
        this.plane = plane;
    }

    /** Adds a component (e.g. the Docker engine) to the report. */
    public void add(Supplier<ComponentStatus> component) {
        extra.add(component);
    }

    public List<ComponentStatus> components() {
        List<ComponentStatus> result = new ArrayList<>();
        String storeProblem = plane.store().problem();
        result.add(ComponentStatus.newBuilder().setName("store")
                                  .setStatus(storeProblem == null ? "UP" : "DOWN")
                                  .setMessage(storeProblem == null ? "" : storeProblem).build());
        result.add(ComponentStatus.newBuilder().setName("control-loop")
                                  .setStatus(plane.shuttingDown() ? "DOWN" : "UP")
                                  .setMessage(plane.shuttingDown() ? "shutting down" : "").build());
        extra.forEach(c -> result.add(c.get()));
        return result;
    }

    /** UP when every component is; DOWN when the store or loop is; DEGRADED otherwise. */
    public String overall(List<ComponentStatus> components) {
        String overall = "UP";
        for (ComponentStatus c : components) {
            if (c.getStatus().equals("DOWN") && (c.getName().equals("store") || c.getName().equals("control-loop"))) {
                return "DOWN";
            }
            if (!c.getStatus().equals("UP")) {
                overall = "DEGRADED";
            }
        }
        return overall;
    }
}
