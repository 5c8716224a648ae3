package dev.baton.cli;

import picocli.CommandLine.Option;

/** {@code --limit} and {@code --page-token} for list commands whose RPC pages its results. */
public final class PageOptions {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "At most N items (server default 100, at most 1000).")
    private int limit;

    @Option(names = "--page-token", paramLabel = "TOKEN",
            description = "Continue a previous list (the token is printed when there are more items).")
    private String pageToken;

    /** The page size to ask for (0: the server's default). */
    public int limit() {
        return limit;
    }

    /** The token to continue from, "" for the first page. */
    public String pageToken() {
        return pageToken == null ? "" : pageToken;
    }
}
