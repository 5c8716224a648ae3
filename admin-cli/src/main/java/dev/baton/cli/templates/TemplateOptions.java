package dev.baton.cli.templates;

import dev.baton.cli.input.ConfigOptions;
import dev.baton.cli.input.JsonInput;
import dev.baton.cli.input.RequirementOptions;
import dev.baton.cli.input.RestartPolicyConverter;
import dev.baton.proto.v1.RestartPolicy;
import dev.baton.proto.v1.Template;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The content options shared by {@code templates create} and {@code templates update}: a whole template from
 * {@code --file}, then single fields on top.
 */
final class TemplateOptions {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|-",
            description = "The template as proto3 JSON ({\"description\": ..., \"config\": {...}, "
                          + "\"requirements\": {...}, \"restartPolicy\": ...}); options below override it.")
    private String file;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the template is for.")
    private String description;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private RequirementOptions requirements;

    @Option(names = "--restart-policy", paramLabel = "POLICY", converter = RestartPolicyConverter.class,
            completionCandidates = RestartPolicyConverter.Names.class,
            description = "Default restart policy of its jobs: never, onFailure or always.")
    private RestartPolicy restartPolicy;

    /** Whether any content option was given. */
    boolean given() {
        return file != null || description != null || config.given() || requirements.given() || restartPolicy != null;
    }

    /** {@code current} with {@code --file} (replacing all content) and then the single-field options applied. */
    Template applyTo(Template current, JsonInput input) {
        Template.Builder template = current.toBuilder();
        if (file != null) {
            Template fromFile = input.readMessage("--file", file, Template.newBuilder()).build();
            template.clearDescription().clearConfig().clearRequirements().clearRestartPolicy()
                    .mergeFrom(fromFile.toBuilder().clearId().clearVersion().clearCreatedAt().clearUpdatedAt()
                                       .build());
            if (!fromFile.getId().isEmpty() && template.getId().isEmpty()) {
                template.setId(fromFile.getId());
            }
        }
        if (description != null) {
            template.setDescription(description);
        }
        if (config.given()) {
            template.setConfig(config.applyTo(input, template.getConfig()));
        }
        if (requirements.given()) {
            template.setRequirements(requirements.applyTo(template.getRequirements()));
        }
        if (restartPolicy != null) {
            template.setRestartPolicy(restartPolicy);
        }
        return template.build();
    }
}
