package dev.redock.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.redock.service.FieldNames;

/**
 * A service's settings as the CLI names them: by their options and arguments, as the command at hand took them. A
 * relative path is the working folder's.
 */
final class CliNames implements FieldNames {

    /** {@code service run}'s names: the image is its IMAGE argument, a git source its --git and --branch options. */
    static final CliNames RUN = new CliNames(Map.of());

    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("image", "IMAGE"),
            Map.entry("git", "--git URL --branch BRANCH"),
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

    private final Map<String, String> given;

    private CliNames(Map<String, String> given) {
        this.given = given;
    }

    /**
     * {@code service set}'s names: the image is its --image option, and a git source the first of its git options the
     * user gave (or --git when none was).
     */
    static CliNames set(String gitOptionGiven) {
        return new CliNames(Map.of("image", "--image", "git", gitOptionGiven == null ? "--git" : gitOptionGiven));
    }

    @Override
    public String of(String field) {
        return given.getOrDefault(field, OPTIONS.getOrDefault(field, field));
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
