package dev.baton.server.engines;

import dev.baton.proto.v1.Endpoint;
import dev.baton.server.time.TimeSource;

/** The probe state of one named port of one engine. Owned by the control loop. */
final class PortHealth {

    Endpoint.Health health = Endpoint.Health.HEALTH_UNSPECIFIED;
    int failuresInRow;
    String lastError = "";
    TimeSource.Timer timer;

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
