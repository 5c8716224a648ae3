package dev.baton.cli.watch;

import java.util.Iterator;
import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.JsonOutput;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code batonctl watch}: follow every change live. */
@Command(name = "watch",
        description = {
                "Follow changes live, one line per event: REVISION TIME TYPE KIND ID STATE...",
                "Without --from-revision the stream starts with a snapshot of the current state (type SNAPSHOT,",
                "then one SNAPSHOT_END line). To resume after a disconnect, pass the last revision you saw;",
                "if the server no longer has it, it sends RESET and a new snapshot.",
                "With -o json every event (bookmarks included) is one line of proto3 JSON."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl watch",
                "  batonctl watch --kind job --kind agent",
                "  batonctl watch --id 01JD3ZQ6 --from-revision 1041",
                "  batonctl watch --snapshot-only -o json | jq -c 'select(.job) | .job.status'"
        })
public final class WatchCommand extends BatonCommand {

    @Option(names = "--kind", paramLabel = "KIND", converter = EntityKindConverter.class,
            completionCandidates = EntityKindConverter.Names.class,
            description = "Only this kind: agent, job, engine or pool (repeatable; default: all).")
    private List<EntityKind> kinds;

    @Option(names = "--id", paramLabel = "ID", description = "Only this entity id (repeatable; default: all).")
    private List<String> ids;

    @Option(names = "--from-revision", paramLabel = "REVISION",
            description = "Resume after this revision instead of starting with a snapshot.")
    private Long fromRevision;

    @Option(names = "--snapshot-only", description = "Print the snapshot and exit at SNAPSHOT_END.")
    private boolean snapshotOnly;

    @Option(names = "--max-events", paramLabel = "N",
            description = "Exit after N entity events (markers such as SNAPSHOT_END do not count).")
    private Integer maxEvents;

    @Override
    protected void validate() {
        if (snapshotOnly && fromRevision != null) {
            throw new InvalidInputException("--snapshot-only cannot be combined with --from-revision "
                                            + "(a resumed watch has no snapshot)");
        }
        if (maxEvents != null && maxEvents < 1) {
            throw new InvalidInputException("--max-events: " + maxEvents + " (expected: >= 1)");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        WatchRequest.Builder request = WatchRequest.newBuilder();
        if (kinds != null) {
            request.addAllKinds(kinds);
        }
        if (ids != null) {
            request.addAllIds(ids);
        }
        if (fromRevision != null) {
            request.setFromRevision(fromRevision);
        }
        Iterator<WatchEvent> events = server.watch().watch(request.build());
        int entityEvents = 0;
        while (events.hasNext()) {
            WatchEvent event = events.next();
            print(event, output);
            if (snapshotOnly && event.getType() == WatchEvent.Type.SNAPSHOT_END) {
                return ExitCodes.OK;
            }
            if (event.getEntityCase() != WatchEvent.EntityCase.ENTITY_NOT_SET && maxEvents != null
                && ++entityEvents >= maxEvents) {
                return ExitCodes.OK;
            }
        }
        return ExitCodes.OK;
    }

    private static void print(WatchEvent event, Output output) {
        if (output.json()) {
            output.out().println(JsonOutput.compact(event));
        } else if (event.getType() != WatchEvent.Type.BOOKMARK) {
            // Bookmarks only keep an idle stream alive; a person does not need a line for each.
            output.out().println(EventLine.of(event));
        }
        output.out().flush();
    }
}
