package dev.redock.model;

/**
 * One setting of a container that Redock's forms do not edit, as the Configuration tab shows it read-only: a redeploy
 * carries it over to the new container as it is.
 *
 * @param name  what it is, in the docker CLI's words ({@code --user}, {@code --memory}, {@code network adoptnet})
 * @param value its value as the engine reports it
 */
public record ContainerSetting(String name, String value) {
}
