package dev.baton.server.watch;

import java.io.IOException;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;

/**
 * WatchEvents written around an entity that is already serialized: the same bytes protobuf writes
 * for the event (fields in number order, the entity as a length-delimited field), without parsing
 * the entity to build the event first.
 */
final class WatchEncoding {

    private WatchEncoding() {}

    /** A SNAPSHOT event of the job whose serialized bytes are {@code job}. */
    static byte[] snapshotOfJob(byte[] job, long revision, Timestamp time) {
        int type = WatchEvent.Type.SNAPSHOT.getNumber();
        int kind = EntityKind.ENTITY_KIND_JOB.getNumber();
        int size = (revision != 0 ? CodedOutputStream.computeInt64Size(WatchEvent.REVISION_FIELD_NUMBER, revision) : 0)
                   + CodedOutputStream.computeEnumSize(WatchEvent.TYPE_FIELD_NUMBER, type)
                   + CodedOutputStream.computeEnumSize(WatchEvent.KIND_FIELD_NUMBER, kind)
                   + CodedOutputStream.computeMessageSize(WatchEvent.TIME_FIELD_NUMBER, time)
                   + CodedOutputStream.computeTagSize(WatchEvent.JOB_FIELD_NUMBER)
                   + CodedOutputStream.computeUInt32SizeNoTag(job.length) + job.length;
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            if (revision != 0) {
                out.writeInt64(WatchEvent.REVISION_FIELD_NUMBER, revision);
            }
            out.writeEnum(WatchEvent.TYPE_FIELD_NUMBER, type);
            out.writeEnum(WatchEvent.KIND_FIELD_NUMBER, kind);
            out.writeMessage(WatchEvent.TIME_FIELD_NUMBER, time);
            out.writeTag(WatchEvent.JOB_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(job.length);
            out.writeRawBytes(job);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("writing a watch event into an array of its computed size", e);
        }
        return bytes;
    }
}
