package dev.baton.cli.jobs;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.JsonOutput;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.GetJobLogsRequest;
import dev.baton.proto.v1.LogLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs logs ID [-f] [--attempt N] [--stream stdout|stderr] [--tail N]}. */
@Command(name = "logs",
        description = {
                "Print a job's output: the retained tail of one attempt (default: the latest), stdout and stderr",
                "interleaved as received. With -f, keep printing new lines until the attempt ends.",
                "Lines Baton inserted (dropped lines, cut lines) start with '…'. With -o json every line is one",
                "LogLine in proto3 JSON (seq, stream, text, time)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs logs 01JD3ZQ6",
                "  batonctl jobs logs 01JD3ZQ6 -f --tail 20",
                "  batonctl jobs logs 01JD3ZQ6 --attempt 2 --stream stderr",
                "  batonctl jobs logs 01JD3ZQ6 -o json | jq -r 'select(.stream == \"LOG_STREAM_STDERR\") | .text'"
        })
public final class JobsLogsCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Option(names = {"-f", "--follow"}, description = "Follow: print new lines until the attempt ends.")
    private boolean follow;

    @Option(names = "--attempt", paramLabel = "N", description = "This attempt (default: the latest).")
    private Integer attempt;

    @Option(names = "--stream", paramLabel = "STREAM", description = "Only stdout or stderr (default: both).")
    private String stream;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N retained lines.")
    private Integer tail;

    @Override
    protected void validate() {
        if (attempt != null && attempt < 1) {
            throw new InvalidInputException("--attempt: " + attempt + " (expected: >= 1)");
        }
        if (tail != null && tail < 0) {
            throw new InvalidInputException("--tail: " + tail + " (expected: >= 0)");
        }
        if (stream != null && !List.of("stdout", "stderr").contains(stream.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException("--stream: " + stream + " (expected: stdout or stderr)");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        if (!follow) {
            GetJobLogsRequest.Builder request = GetJobLogsRequest.newBuilder().setId(id);
            selection(request::setAttempt, request::setTail, request::setStream);
            print(server.logs(false).getJobLogs(request.build()).getLinesList(), output);
            return ExitCodes.OK;
        }
        FollowLogsRequest.Builder request = FollowLogsRequest.newBuilder().setId(id);
        selection(request::setAttempt, request::setTail, request::setStream);
        Iterator<FollowLogsResponse> responses = server.logs(true).followLogs(request.build());
        while (responses.hasNext()) {
            print(responses.next().getLinesList(), output);
        }
        return ExitCodes.OK;
    }

    /** Sets the options given on either request (they share these fields but no type). */
    private void selection(IntConsumer attemptSetter, IntConsumer tailSetter, Consumer<String> streamSetter) {
        if (attempt != null) {
            attemptSetter.accept(attempt);
        }
        if (tail != null) {
            tailSetter.accept(tail);
        }
        if (stream != null) {
            streamSetter.accept(stream);
        }
    }

    private static void print(List<LogLine> lines, Output output) {
        for (LogLine line : lines) {
            output.out().println(output.json() ? JsonOutput.compact(line) : line.getText());
        }
        output.out().flush();
    }
}
