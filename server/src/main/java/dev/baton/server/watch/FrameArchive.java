package dev.baton.server.watch;

import java.util.Arrays;
import java.util.List;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;

/**
 * The older part of the hub's ring of recent events, kept for resumes as bytes in one large array
 * instead of as objects. Frames in the ring live for seconds, long enough to survive a young
 * collection or two, and every one the collector finds alive it copies, first into a survivor space
 * and then into the old generation. One large array is copied at most until it is old (never, once
 * G1 counts it as humongous), not frame by frame; what a resume filters on sits in flat arrays
 * beside it. At 1,000 jobs/s with a watcher, the bytes that survived each young collection fell
 * from 4.5 to 3.2 MB (docs/benchmarks.md, session 10).
 *
 * <p>Only frames a stream already encoded go in as bytes. A frame nobody encoded stays the frame it
 * is: encoding it on the control loop only to archive it cost the loop 6 % of a core at 2,500 jobs/s
 * when nobody watched, more than the collections it spared (session 10).
 *
 * <p>A FIFO: frames are added newest last and removed oldest first, by count (the hub's buffer
 * size) or when the bytes no longer fit in {@link #maxBytes}. The array grows by doubling up to that
 * bound. Not thread-safe: the control loop owns it, like the hub.
 */
final class FrameArchive {

    static final int INITIAL_BYTES = 1 << 20;
    private static final WatchEvent.Type[] TYPES = WatchEvent.Type.values();
    private static final EntityKind[] KINDS = EntityKind.values();

    private final int maxBytes;
    private byte[] bytes = new byte[0];
    /** Where the next frame's bytes start. */
    private int head;

    // One entry per frame, in a circular index of `first` and `count`.
    private long[] revisions = new long[16];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private byte[] types = new byte[16];
    private byte[] kinds = new byte[16];
    /** The entity ids: mostly the String objects the entities' records hold too, so they cost a reference each. */
    private String[] ids = new String[16];
    /** A frame kept as it is because nobody encoded it (its length is then 0); null for bytes. */
    private WatchFrame[] unencoded = new WatchFrame[16];
    private int first;
    private int count;
    /** How many frames were ever removed: entry {@code i} (from the oldest) is frame number {@code removed + i}. */
    private long removed;
    /**
     * The number of the oldest frame held as bytes, where the used part of the array starts; -1 when
     * no frame is held as bytes. Unencoded frames take no bytes, so they do not count.
     */
    private long oldestInBytes = -1;

    FrameArchive(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
    }

    int size() {
        return count;
    }

    /** The bytes the frames take now (tests). */
    int bytesUsed() {
        int used = 0;
        for (int i = 0; i < count; i++) {
            used += lengths[slot(i)];
        }
        return used;
    }

    /** The revision of the oldest frame; only when not empty. */
    long oldestRevision() {
        return revisions[first];
    }

    /**
     * Adds the newest frame: its protobuf bytes if a stream encoded them, else the frame itself. A
     * frame larger than the whole bound empties the archive: its revisions must stay gap-free, so
     * everything older goes too.
     */
    void add(WatchFrame frame) {
        byte[] encoded = frame.encodedProtobuf();
        int length = encoded == null ? 0 : encoded.length;
        if (length > maxBytes) {
            clear();
            return;
        }
        int at = 0;
        if (encoded != null) {
            at = reserve(length);
            System.arraycopy(encoded, 0, bytes, at, length);
            head = at + length;
            if (oldestInBytes < 0) {
                oldestInBytes = removed + count;
            }
        }
        if (count == revisions.length) {
            growIndex();
        }
        int slot = slot(count);
        revisions[slot] = frame.revision();
        offsets[slot] = at;
        lengths[slot] = length;
        types[slot] = (byte) frame.type().ordinal();
        kinds[slot] = (byte) frame.kind().ordinal();
        ids[slot] = frame.entityId();
        unencoded[slot] = encoded == null ? frame : null;
        count++;
    }

    /** Removes the oldest frame. */
    void removeOldest() {
        ids[first] = null;
        unencoded[first] = null;
        first = (first + 1) % revisions.length;
        count--;
        if (removed++ == oldestInBytes) {
            // Each frame is passed over here at most once: the next one held as bytes, if any.
            oldestInBytes = -1;
            for (int i = 0; i < count; i++) {
                if (unencoded[slot(i)] == null) {
                    oldestInBytes = removed + i;
                    break;
                }
            }
        }
        if (count == 0) {
            first = 0;
        }
    }

    void clear() {
        Arrays.fill(ids, null);
        Arrays.fill(unencoded, null);
        removed += count;
        first = 0;
        count = 0;
        oldestInBytes = -1;
    }

    /**
     * Appends the frames newer than {@code afterRevision}, oldest first, as compacted frames (bytes
     * copied out, so they stay valid whatever the archive does next).
     */
    void framesAfter(long afterRevision, List<WatchFrame> out) {
        for (int i = firstAfter(afterRevision); i < count; i++) {
            int slot = slot(i);
            if (unencoded[slot] != null) {
                out.add(unencoded[slot]);
                continue;
            }
            byte[] encoded = Arrays.copyOfRange(bytes, offsets[slot], offsets[slot] + lengths[slot]);
            out.add(WatchFrame.compacted(revisions[slot], TYPES[types[slot]], KINDS[kinds[slot]], ids[slot], encoded));
        }
    }

    /** The position (from the oldest) of the first frame newer than {@code revision}: frames are added in revision order. */
    private int firstAfter(long revision) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (revisions[slot(middle)] <= revision) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Where {@code length} bytes can go: grows the array, or removes the oldest frames, until they fit. */
    private int reserve(int length) {
        while (true) {
            if (oldestInBytes < 0) {
                head = 0;
                if (bytes.length < length) {
                    grow(length);
                }
                return 0;
            }
            int tail = offsets[slot((int) (oldestInBytes - removed))];
            boolean wrapped = head <= tail;
            if (!wrapped && head + length <= bytes.length) {
                return head;
            }
            if (!wrapped && length <= tail) {
                return 0;
            }
            if (wrapped && head + length <= tail) {
                return head;
            }
            if (bytes.length < maxBytes) {
                grow(length);
            } else {
                removeOldest();
            }
        }
    }

    /** Doubles the array (at least to fit {@code length} more), copying the frames to its start in order. */
    private void grow(int length) {
        long needed = (long) bytesUsed() + length;
        long capacity = Math.max(bytes.length * 2L, INITIAL_BYTES);
        while (capacity < needed) {
            capacity *= 2;
        }
        byte[] larger = new byte[(int) Math.min(capacity, maxBytes)];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int slot = slot(i);
            if (unencoded[slot] != null) {
                continue;
            }
            System.arraycopy(bytes, offsets[slot], larger, at, lengths[slot]);
            offsets[slot] = at;
            at += lengths[slot];
        }
        bytes = larger;
        head = at;
    }

    private void growIndex() {
        int length = revisions.length;
        int capacity = length * 2;
        revisions = reorder(revisions, new long[capacity], length);
        offsets = reorder(offsets, new int[capacity], length);
        lengths = reorder(lengths, new int[capacity], length);
        types = reorder(types, new byte[capacity], length);
        kinds = reorder(kinds, new byte[capacity], length);
        ids = reorder(ids, new String[capacity], length);
        unencoded = reorder(unencoded, new WatchFrame[capacity], length);
        first = 0;
    }

    /** Copies a circular index array of {@code length} entries into {@code to}, oldest entry first. */
    private <A> A reorder(A from, A to, int length) {
        int tailPart = Math.min(count, length - first);
        System.arraycopy(from, first, to, 0, tailPart);
        System.arraycopy(from, 0, to, tailPart, count - tailPart);
        return to;
    }

    private int slot(int i) {
        return (first + i) % revisions.length;
    }
}
