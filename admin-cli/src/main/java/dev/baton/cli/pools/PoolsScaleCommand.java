package dev.baton.cli.pools;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.ScalePoolRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl pools scale NAME}. */
@Command(name = "scale",
        description = "Change how many free engines a pool keeps and how many it may have.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl pools scale encoders --min-free 3",
                "  batonctl pools scale encoders --min-free 0 --max-engines 0"
        })
public final class PoolsScaleCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The pool's name.")
    private String name;

    @Option(names = "--min-free", paramLabel = "N", description = "Keep at least N free engines.")
    private Integer minFree;

    @Option(names = "--max-engines", paramLabel = "N", description = "Never more than N engines.")
    private Integer maxEngines;

    @Override
    protected void validate() {
        if (minFree == null && maxEngines == null) {
            throw new InvalidInputException("nothing to change: give --min-free and/or --max-engines");
        }
        if (minFree != null && minFree < 0 || maxEngines != null && maxEngines < 0) {
            throw new InvalidInputException("--min-free and --max-engines must be >= 0");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        ScalePoolRequest.Builder request = ScalePoolRequest.newBuilder().setName(name);
        if (minFree != null) {
            request.setMinFree(minFree);
        }
        if (maxEngines != null) {
            request.setMaxEngines(maxEngines);
        }
        Pool pool = server.engines().scalePool(request.build());
        output.done(pool, "pool " + pool.getName() + " scaled: min free " + pool.getSpec().getMinFree()
                          + ", max engines " + pool.getSpec().getMaxEngines() + " (desired "
                          + pool.getStatus().getDesired() + ")");
        return ExitCodes.OK;
    }
}
