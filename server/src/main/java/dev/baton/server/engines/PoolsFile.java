package dev.baton.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.baton.proto.v1.Pool;

/**
 * POOLS_FILE: pools declared in JSON, applied at start-up (created, or updated when their spec
 * differs from the stored one). Either {@code {"pools": [...]}} or a bare array of Pool objects, in
 * the API's JSON form; a spec without {@code minFree} gets MIN_REPLICAS.
 */
final class PoolsFile {

    private PoolsFile() {}

    static List<Pool> read(Path file, int defaultMinFree) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("POOLS_FILE " + file + ": cannot read it as JSON: " + e.getMessage());
        }
        JsonNode array = root != null && root.isObject() ? root.get("pools") : root;
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("POOLS_FILE " + file + ": expected {\"pools\": [...]} or an array of pools");
        }
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            Pool.Builder pool = Pool.newBuilder();
            try {
                JsonFormat.parser().merge(node.toString(), pool);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("POOLS_FILE " + file + ": pools[" + i + "]: " + e.getMessage());
            }
            JsonNode spec = node.get("spec");
            if (spec == null || !(spec.has("minFree") || spec.has("min_free"))) {
                pool.getSpecBuilder().setMinFree(defaultMinFree);
            }
            pools.add(pool.clearStatus().build());
        }
        return pools;
    }
}
