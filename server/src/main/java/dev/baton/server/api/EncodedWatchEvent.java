package dev.baton.server.api;

import java.io.IOException;
import java.util.Map;

import com.google.protobuf.AbstractMessage;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnknownFieldSet;

import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.watch.WatchFrame;

/**
 * A WatchEvent whose protobuf bytes were already encoded (once, for every stream that sends it):
 * writing it copies those bytes instead of walking the Job again. Armeria serializes protobuf
 * messages itself, straight into a pooled buffer of {@link #getSerializedSize()} bytes; handing it
 * a message that writes its cached bytes keeps that fast path (a non-protobuf marshaller would
 * instead be read through an InputStream into fresh 8 KiB arrays, per message). Everything else
 * (descriptor, fields, printing) is the event's own.
 */
final class EncodedWatchEvent extends AbstractMessage {

    private final WatchFrame frame;

    EncodedWatchEvent(WatchFrame frame) {
        this.frame = frame;
    }

    WatchFrame frame() {
        return frame;
    }

    @Override
    public void writeTo(CodedOutputStream output) throws IOException {
        output.writeRawBytes(frame.protobuf());
    }

    @Override
    public int getSerializedSize() {
        return frame.protobuf().length;
    }

    @Override
    public boolean isInitialized() {
        return true;
    }

    @Override
    public Descriptors.Descriptor getDescriptorForType() {
        return WatchEvent.getDescriptor();
    }

    @Override
    public Map<Descriptors.FieldDescriptor, Object> getAllFields() {
        return frame.event().getAllFields();
    }

    @Override
    public boolean hasField(Descriptors.FieldDescriptor field) {
        return frame.event().hasField(field);
    }

    @Override
    public Object getField(Descriptors.FieldDescriptor field) {
        return frame.event().getField(field);
    }

    @Override
    public int getRepeatedFieldCount(Descriptors.FieldDescriptor field) {
        return frame.event().getRepeatedFieldCount(field);
    }

    @Override
    public Object getRepeatedField(Descriptors.FieldDescriptor field, int index) {
        return frame.event().getRepeatedField(field, index);
    }

    @Override
    public UnknownFieldSet getUnknownFields() {
        return frame.event().getUnknownFields();
    }

    @Override
    public Message getDefaultInstanceForType() {
        return WatchEvent.getDefaultInstance();
    }

    @Override
    public Message.Builder newBuilderForType() {
        return WatchEvent.newBuilder();
    }

    @Override
    public Message.Builder toBuilder() {
        return frame.event().toBuilder();
    }

    @Override
    public Parser<WatchEvent> getParserForType() {
        return WatchEvent.parser();
    }
}
