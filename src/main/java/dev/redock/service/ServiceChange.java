package dev.redock.service;

import java.time.Duration;

import dev.redock.model.ContainerSpec;
import dev.redock.model.GitSource;
import dev.redock.model.ImageRef;

/**
 * A stored service's settings after a change, checked: what {@link ServiceManager#edit(java.util.UUID, ServiceChange)}
 * saves.
 *
 * @param image        the image it follows (for one built from git, the image built from its repository, unchanged)
 * @param git          its git source, or null for a service that follows an image
 * @param spec         its container settings; an environment value left masked keeps the stored one
 * @param autoredeploy whether a new version redeploys it by itself
 * @param minUptime    how long a new container must keep running to count as up, or null for Redock's default
 */
public record ServiceChange(ImageRef image, GitSource git, ContainerSpec spec, boolean autoredeploy, Duration minUptime) {
}
