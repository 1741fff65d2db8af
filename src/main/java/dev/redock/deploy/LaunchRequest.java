package dev.redock.deploy;

import dev.redock.model.ContainerSpec;
import dev.redock.model.ImageRef;

/**
 * A service to launch, already parsed: what the CLI, the wizard and the API hand over.
 *
 * @param name         the name, or null to take one from the image
 * @param image        the image reference to follow
 * @param spec         the container configuration
 * @param autoredeploy off unless the user turned it on
 */
public record LaunchRequest(String name, ImageRef image, ContainerSpec spec, boolean autoredeploy) {
}
