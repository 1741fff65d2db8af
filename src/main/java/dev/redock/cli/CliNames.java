package dev.redock.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.redock.service.FieldNames;

/**
 * A service's settings as the CLI names them: by their options and arguments, as the command at hand took them. A
 * relative path is from the folder the command was typed in.
 */
final class CliNames implements FieldNames {

    /** The options that name the fields the service layer's sentences speak of. */
    private static final Map<String, String> OPTIONS = Map.of(
            "image", "IMAGE",
            "git", "--git URL --branch BRANCH",
            "git.url", "--git URL",
            "git.remote", "--git-remote",
            "git.branch", "--branch BRANCH");

    private final Map<String, String> given;
    private final Path workingFolder;

    private CliNames(Map<String, String> given, Path workingFolder) {
        this.given = given;
        this.workingFolder = workingFolder;
    }

    /** {@code service run}'s names: the image is its IMAGE argument, a git source its --git and --branch options. */
    static CliNames run(Path workingFolder) {
        return new CliNames(Map.of(), workingFolder);
    }

    /**
     * {@code service set}'s names: the image is its --image option, and a git source the first of its git options the
     * user gave (or --git when none was).
     */
    static CliNames set(String gitOptionGiven, Path workingFolder) {
        return new CliNames(Map.of("image", "--image", "git", gitOptionGiven == null ? "--git" : gitOptionGiven),
                workingFolder);
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
        return workingFolder;
    }
}
