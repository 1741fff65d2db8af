package dev.redock.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.redock.service.FieldNames;

/** A service's settings as the CLI names them: by their options and arguments. A relative path is the working folder's. */
enum CliNames implements FieldNames {
    INSTANCE;

    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("image", "IMAGE"),
            Map.entry("git", "--git"),
            Map.entry("git.url", "--git URL"),
            Map.entry("git.remote", "--git-remote"),
            Map.entry("git.branch", "--branch BRANCH"),
            Map.entry("git.dockerfile", "--dockerfile"),
            Map.entry("git.context", "--context"),
            Map.entry("git.paths", "--path"),
            Map.entry("name", "--name"),
            Map.entry("ports", "--publish"),
            Map.entry("env", "--env"),
            Map.entry("volumes", "--volume"),
            Map.entry("command", "COMMAND"),
            Map.entry("restart", "--restart"),
            Map.entry("labels", "--label"),
            Map.entry("networks", "--network"),
            Map.entry("stopTimeout", "--stop-timeout"),
            Map.entry("autoredeploy", "--autoredeploy"));

    @Override
    public String of(String field) {
        return OPTIONS.getOrDefault(field, field);
    }

    @Override
    public String required(String field) {
        return switch (field) {
            case "image" -> "an IMAGE is needed";
            case "git.branch" -> "--git needs --branch BRANCH";
            default -> of(field) + " is needed";
        };
    }

    @Override
    public Path workingFolder() {
        return Path.of("").toAbsolutePath();
    }
}
