package dev.baton.server.logs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes an agent sent as a line into text every reader can take: invalid UTF-8 becomes
 * U+FFFD, and a line longer than the limit is cut at a character boundary and ends with a marker.
 */
final class LineText {

    private LineText() {}

    static String of(byte[] raw, int maxLineBytes) {
        if (raw.length <= maxLineBytes) {
            return decode(raw, raw.length);
        }
        int keep = maxLineBytes;
        // Do not split a multi-byte character: back off over continuation bytes (10xxxxxx).
        while (keep > 0 && (raw[keep] & 0xC0) == 0x80) {
            keep--;
        }
        return decode(raw, keep) + " … [line cut: " + (raw.length - keep) + " more bytes]";
    }

    /** The UTF-8 size of {@code text}, without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String decode(byte[] raw, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                                                       .onMalformedInput(CodingErrorAction.REPLACE)
                                                       .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(raw, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a REPLACE decoder reported a coding error", e);
        }
    }
}
