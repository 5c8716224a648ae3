package dev.baton.cli.hosts;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.KeyValues;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DockerHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl hosts create NAME --endpoint ...}. */
@Command(name = "create",
        description = "Add a Docker host that engines may be placed on.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl hosts create gpu-1 --endpoint tcp://10.0.0.5:2376 --tls-cert-dir /etc/baton/gpu-1 "
                + "--label gpu=true --max-engines 8",
                "  batonctl hosts create b --endpoint unix:///var/run/docker-b.sock --label zone=b"
        })
public final class HostsCreateCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    private String name;

    @Option(names = "--endpoint", required = true, paramLabel = "URL",
            description = "unix:///path/docker.sock or tcp://host:port.")
    private String endpoint;

    @Option(names = "--tls-cert-dir", paramLabel = "DIR",
            description = "For tcp://: a directory with ca.pem, cert.pem and key.pem (TLS client certificates).")
    private String tlsCertDir;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Host label pools select by (repeatable).")
    private List<String> labels;

    @Option(names = "--max-engines", paramLabel = "N", description = "Engines of all pools at most (default: no limit).")
    private Integer maxEngines;

    @Option(names = "--cordoned", description = "Add it cordoned: no engines until it is uncordoned.")
    private boolean cordoned;

    @Override
    protected int run(ServerConnection server, Output output) {
        DockerHost.Builder host = DockerHost.newBuilder().setName(name).setEndpoint(endpoint)
                                            .putAllLabels(KeyValues.parse("--label", labels));
        if (tlsCertDir != null) {
            host.setTlsCertDir(tlsCertDir);
        }
        if (maxEngines != null) {
            host.setMaxEngines(maxEngines);
        }
        if (cordoned) {
            host.setState(DockerHost.State.CORDONED);
        }
        DockerHost created = server.engines().createHost(CreateHostRequest.newBuilder().setHost(host).build());
        output.done(created, "host " + created.getName() + " created (" + created.getState() + ")");
        return ExitCodes.OK;
    }
}
