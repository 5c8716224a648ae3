package dev.baton.cli.pools;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.UpdatePoolRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code batonctl pools update NAME}. UpdatePool replaces the spec, so the command reads the current pool and
 * changes only what was given.
 */
@Command(name = "update",
        description = {
                "Change a pool's spec; engines with the old config are replaced a few at a time.",
                "Options not given keep their values; --file replaces the whole spec."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl pools update encoders --image baton/engine:2",
                "  batonctl pools update encoders --env LOG_LEVEL=debug --max-age 24h",
                "  batonctl pools update encoders --file pool.json"
        })
public final class PoolsUpdateCommand extends BatonCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The pool's name.")
    private String name;

    @Parameters(index = "1..*", paramLabel = "COMMAND",
            description = "The engine's command, after '--' (required for images without one).")
    private List<String> command;

    @Mixin
    private PoolSpecOptions spec;

    @Override
    protected void validate() {
        if (!spec.given(command)) {
            throw new InvalidInputException("nothing to change: give --file or at least one spec option");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        Pool current = server.engines().getPool(GetPoolRequest.newBuilder().setName(name).build());
        Pool changed = Pool.newBuilder().setName(name)
                           .setSpec(spec.applyTo(current.getSpec(), jsonInput(), command))
                           .build();
        Pool updated = server.engines().updatePool(
                UpdatePoolRequest.newBuilder().setName(name).setPool(changed).build());
        output.done(updated, "pool " + updated.getName() + " updated");
        return ExitCodes.OK;
    }
}
