package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** A server that is not there, or does not answer, exits 5 with a line that says where and how long. */
class UnreachableServerTest {

    @Test
    void closedPortExitsUnavailableNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("jobs", "list", "--server", "127.0.0.1:" + port);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).isEqualTo("error: UNAVAILABLE: cannot reach the server at 127.0.0.1:" + port
                                           + " (Connection refused)\n");
        assertThat(result.out()).isEmpty();
    }

    // Commands map server errors themselves, so embedding batonctl as a bare picocli CommandLine keeps the codes.
    @Test
    void bareCommandLineGivesTheSameExitCodes() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CommandLine commandLine = new CommandLine(new Batonctl());
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));

        assertThat(commandLine.execute("jobs", "get", "j-1", "--server", "127.0.0.1:" + port))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).startsWith("error: UNAVAILABLE: cannot reach the server at 127.0.0.1:" + port);
        assertThat(commandLine.execute("jobs", "get", "--nope")).isEqualTo(ExitCodes.USAGE);
    }

    // A real Baton server always answers; a silent peer is the fault it cannot be made to produce, so a bare
    // socket that accepts and never speaks stands in for a hung server.
    @Test
    void silentServerExitsUnavailableAfterTheTimeout() throws IOException {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            Cli.Result result = Cli.run("status", "--server", "127.0.0.1:" + silent.getLocalPort(),
                                        "--timeout", "300ms");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err()).isEqualTo("error: DEADLINE_EXCEEDED: no answer from 127.0.0.1:"
                                               + silent.getLocalPort() + " within 300ms (--timeout)\n");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
