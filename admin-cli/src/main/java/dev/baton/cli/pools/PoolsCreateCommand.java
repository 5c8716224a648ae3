package dev.baton.cli.pools;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code batonctl pools create NAME}. */
@Command(name = "create",
        description = "Create a pool; Baton then starts engines until min-free engines are free.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl pools create encoders --image baton/engine:1 --slots 2 --min-free 1 --max-engines 5 \\",
                "      --memory 2GiB --cpus 2 --label gpu=false -- /usr/local/bin/baton-agent",
                "  batonctl pools create encoders --file pool.json"
        })
public final class PoolsCreateCommand extends BatonCommand {

    @Parameters(index = "0", paramLabel = "NAME", arity = "0..1",
            description = "Letters, digits, '-', '_' (1..63); may come from --file instead.")
    private String name;

    @Parameters(index = "1..*", paramLabel = "COMMAND",
            description = "The engine's command, after '--' (required for images without one).")
    private List<String> command;

    @Mixin
    private PoolSpecOptions spec;

    @Override
    protected void validate() {
        if (!spec.given(command)) {
            throw new InvalidInputException("no spec: give --file, or --image and the other options");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        String poolName = name != null ? name : spec.fileName(jsonInput());
        if (poolName.isEmpty()) {
            throw new InvalidInputException("no pool name: give NAME, or a \"name\" in --file");
        }
        Pool pool = Pool.newBuilder().setName(poolName)
                        .setSpec(spec.applyTo(PoolSpec.getDefaultInstance(), jsonInput(), command))
                        .build();
        Pool created = server.engines().createPool(CreatePoolRequest.newBuilder().setPool(pool).build());
        output.done(created, "pool " + created.getName() + " created");
        return ExitCodes.OK;
    }
}
