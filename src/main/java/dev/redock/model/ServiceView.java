package dev.redock.model;


/**
 * A service with what the engine says of it, for lists.
 *
 * @param service     the stored service
 * @param status      running, stopped, deploying, failed, missing, or unknown when the engine does not answer
 * @param detail      why, in a few words (an exit code, a registry error), or null
 * @param containerId the id of its container, or null when there is none
 * @param last        its latest deployment, or null
 */
public record ServiceView(Service service, ServiceStatus status, String detail, String containerId, Deployment last) {
}
