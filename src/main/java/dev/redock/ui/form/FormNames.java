package dev.redock.ui.form;

import java.util.Map;

import dev.redock.service.FieldNames;

/** A service's settings as the window names them: by their fields' labels. */
public enum FormNames implements FieldNames {
    INSTANCE;

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("image", "an image"),
            Map.entry("git", "a git repository"),
            Map.entry("git.url", "the repository"),
            Map.entry("git.remote", "the remote"),
            Map.entry("git.branch", "the branch"),
            Map.entry("git.dockerfile", "the Dockerfile"),
            Map.entry("git.context", "the build context"),
            Map.entry("git.paths", "the paths"),
            Map.entry("name", "the name"),
            Map.entry("ports", "the ports"),
            Map.entry("env", "the environment"),
            Map.entry("volumes", "the volumes"),
            Map.entry("command", "the command"),
            Map.entry("restart", "the restart policy"),
            Map.entry("labels", "the labels"),
            Map.entry("networks", "the networks"),
            Map.entry("stopTimeout", "the stop timeout"),
            Map.entry("autoredeploy", "autoredeploy"));

    @Override
    public String of(String field) {
        return LABELS.getOrDefault(field, field);
    }
}
