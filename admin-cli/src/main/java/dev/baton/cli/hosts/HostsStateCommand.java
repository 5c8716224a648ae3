package dev.baton.cli.hosts;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.CordonHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.DrainHostRequest;
import dev.baton.proto.v1.EngineServiceGrpc.EngineServiceBlockingStub;
import dev.baton.proto.v1.UncordonHostRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl hosts cordon|uncordon|drain NAME}: where new engines may go. */
abstract class HostsStateCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    private String name;

    abstract DockerHost call(EngineServiceBlockingStub engines, String name);

    @Override
    protected int run(ServerConnection server, Output output) {
        DockerHost host = call(server.engines(), name);
        output.done(host, "host " + host.getName() + " is " + host.getState() + " (" + host.getStatus().getEngines()
                          + " engines)");
        return ExitCodes.OK;
    }

    /** {@code batonctl hosts cordon NAME}. */
    @Command(name = "cordon", description = "No new engines on the host; its engines stay.",
            footerHeading = "%nExamples:%n", footer = "  batonctl hosts cordon gpu-1")
    public static final class Cordon extends HostsStateCommand {
        @Override
        DockerHost call(EngineServiceBlockingStub engines, String name) {
            return engines.cordonHost(CordonHostRequest.newBuilder().setName(name).build());
        }
    }

    /** {@code batonctl hosts uncordon NAME}. */
    @Command(name = "uncordon", description = "New engines may be placed on the host again (ends a cordon or drain).",
            footerHeading = "%nExamples:%n", footer = "  batonctl hosts uncordon gpu-1")
    public static final class Uncordon extends HostsStateCommand {
        @Override
        DockerHost call(EngineServiceBlockingStub engines, String name) {
            return engines.uncordonHost(UncordonHostRequest.newBuilder().setName(name).build());
        }
    }

    /** {@code batonctl hosts drain NAME}. */
    @Command(name = "drain", description = "No new engines on the host; its engines are replaced elsewhere, then removed.",
            footerHeading = "%nExamples:%n", footer = "  batonctl hosts drain gpu-1")
    public static final class Drain extends HostsStateCommand {
        @Override
        DockerHost call(EngineServiceBlockingStub engines, String name) {
            return engines.drainHost(DrainHostRequest.newBuilder().setName(name).build());
        }
    }
}
