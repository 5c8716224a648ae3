package dev.baton.server.security;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads admin token entries {@code name:role:token}, where the token may be given as
 * {@code sha256:<64 hex digits>} so that files hold only digests. A problem is reported naming the
 * entry and what was expected, never echoing a token.
 */
public final class AdminTokenParser {

    /** Clear-text tokens shorter than this are refused: they would be guessable. */
    static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("sha256:([0-9a-fA-F]{64})");

    private AdminTokenParser() {}

    /** Entries separated by commas (ADMIN_TOKENS). Throws IllegalArgumentException naming the bad entry. */
    public static List<AdminToken> parseList(String value) {
        List<AdminToken> tokens = new ArrayList<>();
        String[] items = value.split(",");
        for (int i = 0; i < items.length; i++) {
            if (!items[i].isBlank()) {
                tokens.add(parse(items[i].trim(), "entry " + (i + 1)));
            }
        }
        return tokens;
    }

    /** One entry per line (ADMIN_TOKENS_FILE); blank lines and lines starting with # are skipped. */
    public static List<AdminToken> parseLines(List<String> lines) {
        List<AdminToken> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                tokens.add(parse(line, "line " + (i + 1)));
            }
        }
        return tokens;
    }

    /** Two entries with one name, or one token under two names, would make a caller ambiguous. */
    public static void requireUnique(List<AdminToken> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (tokens.get(i).name().equals(tokens.get(j).name())) {
                    throw new IllegalArgumentException("token name " + tokens.get(i).name()
                                                       + " is given twice (expected: unique names)");
                }
                if (tokens.get(i).sameDigest(tokens.get(j))) {
                    throw new IllegalArgumentException("tokens " + tokens.get(j).name() + " and " + tokens.get(i).name()
                                                       + " are the same token (expected: one token per name)");
                }
            }
        }
    }

    static AdminToken parse(String entry, String where) {
        String[] parts = entry.split(":", 3);
        if (parts.length < 3 || parts[2].isBlank()) {
            throw problem(where, null, "name:role:token or name:role:sha256:<64 hex digits>");
        }
        String name = parts[0].trim();
        if (!NAME.matcher(name).matches()) {
            throw problem(where, null, "a name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        Role role = Role.parse(parts[1]);
        if (role == null) {
            throw new IllegalArgumentException(where + " (name " + name + "): role \"" + parts[1].trim()
                                               + "\" (expected: viewer, operator or admin)");
        }
        String token = parts[2].trim();
        var hashed = SHA256.matcher(token);
        if (hashed.matches()) {
            return new AdminToken(name, role, HexFormat.of().parseHex(hashed.group(1).toLowerCase()));
        }
        if (token.startsWith("sha256:")) {
            throw problem(where, name, "sha256: followed by exactly 64 hex digits");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw problem(where, name, "a token of at least " + MIN_TOKEN_LENGTH + " characters");
        }
        return AdminToken.of(name, role, token);
    }

    private static IllegalArgumentException problem(String where, String name, String expected) {
        // A malformed entry may be a bare token: name it only once it is known to be a name.
        String entry = name == null ? where : where + " (name " + name + ")";
        return new IllegalArgumentException(entry + ": expected " + expected + "; the token itself is not shown");
    }
}
