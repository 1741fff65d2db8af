package dev.redock.service;

import dev.redock.model.ValidationException;

/**
 * What to adopt: one container (by name or id) or every container of a compose project, on an engine; checked here once,
 * whichever of the window, the CLI or the API asked.
 *
 * @param engine       the engine it runs on, or null for the engine new services go to
 * @param container    a container's name or id, or null when a project is adopted
 * @param project      a compose project's name, or null when one container is adopted
 * @param autoredeploy whether the adopted services redeploy by themselves on a new push (off unless asked)
 */
public record AdoptRequest(String engine, String container, String project, boolean autoredeploy) {

    public AdoptRequest {
        container = blankToNull(container);
        project = blankToNull(project);
        engine = blankToNull(engine);
        if ((container == null) == (project == null)) {
            throw new ValidationException("container", container == null
                    ? "name the container to adopt, or a compose project"
                    : "name either a container or a compose project to adopt, not both");
        }
    }

    public static AdoptRequest container(String engine, String container, boolean autoredeploy) {
        return new AdoptRequest(engine, container, null, autoredeploy);
    }

    public static AdoptRequest project(String engine, String project, boolean autoredeploy) {
        return new AdoptRequest(engine, null, project, autoredeploy);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
