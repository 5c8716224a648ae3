package dev.baton.server.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.ListTemplatesResponse;
import dev.baton.proto.v1.Template;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;

/**
 * Job templates. Every change is written to the store first and applied in memory only once it is
 * durable, so a failed write leaves nothing half-done. Owned by the control loop.
 */
public final class TemplateRegistry {

    private final Map<String, Template> templates = new TreeMap<>();
    private final ControlLoop loop;
    private final BatonStore store;
    private final int maxConfigBytes;

    public TemplateRegistry(ControlLoop loop, BatonStore store, int maxConfigBytes) {
        this.loop = loop;
        this.store = store;
        this.maxConfigBytes = maxConfigBytes;
    }

    public void load(List<Template> stored) {
        stored.forEach(t -> templates.put(t.getId(), t));
    }

    public Template get(String id) {
        Template template = templates.get(id);
        if (template == null) {
            throw BatonException.notFound("template", id);
        }
        return template;
    }

    public Template find(String id) {
        return templates.get(id);
    }

    public CompletableFuture<Template> create(Template request) {
        String id = request.getId().isEmpty() ? "tpl-" + UUID.randomUUID().toString().substring(0, 8) : request.getId();
        Validation.id("template.id", id);
        if (templates.containsKey(id)) {
            throw BatonException.alreadyExists("template \"%s\" already exists (expected: a new id, or PUT "
                                               + "/v1/templates/%s to change it)", id, id);
        }
        validate(request);
        Instant now = loop.time().now();
        Template created = request.toBuilder().setId(id).setVersion(1)
                                  .setCreatedAt(Timestamps.fromMillis(now.toEpochMilli()))
                                  .setUpdatedAt(Timestamps.fromMillis(now.toEpochMilli())).build();
        return writeThenApply(created);
    }

    public CompletableFuture<Template> update(String id, Template request) {
        Template existing = get(id);
        if (!request.getId().isEmpty() && !request.getId().equals(id)) {
            throw BatonException.invalidArgument("template.id: \"%s\" does not match the path id \"%s\"",
                                                 Validation.printable(request.getId()), id);
        }
        validate(request);
        Template updated = request.toBuilder().setId(id).setVersion(existing.getVersion() + 1)
                                  .setCreatedAt(existing.getCreatedAt())
                                  .setUpdatedAt(Timestamps.fromMillis(loop.time().now().toEpochMilli())).build();
        return writeThenApply(updated);
    }

    public CompletableFuture<Void> delete(String id) {
        get(id);
        return store.write(List.of(new StoreWrite.DeleteTemplate(id)))
                    .thenApplyAsync(ignored -> {
                        templates.remove(id);
                        return null;
                    }, loop::execute);
    }

    public ListTemplatesResponse list(int pageSize, String pageToken) {
        int size = Validation.pageSize(pageSize);
        String after = Validation.decodePageToken(pageToken);
        List<Template> page = new ArrayList<>();
        String next = "";
        for (Template t : (after == null ? templates : ((TreeMap<String, Template>) templates).tailMap(after, false))
                .values()) {
            if (page.size() == size) {
                next = Validation.encodePageToken(page.get(page.size() - 1).getId());
                break;
            }
            page.add(t);
        }
        return ListTemplatesResponse.newBuilder().addAllTemplates(page).setNextPageToken(next).build();
    }

    private void validate(Template template) {
        if (template.getConfig().getSerializedSize() > maxConfigBytes) {
            throw BatonException.invalidArgument("template.config: %d bytes (expected: at most %d)",
                                                 template.getConfig().getSerializedSize(), maxConfigBytes);
        }
        Validation.labels("template.requirements.labels", template.getRequirements().getLabelsMap());
        if (template.getRequirements().getSlots() < 0) {
            throw BatonException.invalidArgument("template.requirements.slots: %d (expected: >= 0)",
                                                 template.getRequirements().getSlots());
        }
        if (template.getDescription().length() > 4096) {
            throw BatonException.invalidArgument("template.description: %d characters (expected: at most 4096)",
                                                 template.getDescription().length());
        }
    }

    private CompletableFuture<Template> writeThenApply(Template template) {
        return store.write(List.of(new StoreWrite.PutTemplate(template)))
                    .thenApplyAsync(ignored -> {
                        templates.put(template.getId(), template);
                        return template;
                    }, loop::execute);
    }

    public int size() {
        return templates.size();
    }
}
