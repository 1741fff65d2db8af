package dev.redock.deploy;

import dev.redock.model.BuildProgress;
import dev.redock.model.PullProgress;

/**
 * Who hears how a version is made ready: a pull layer by layer, a fetch and a build line by line. Each source tells the
 * one that fits what it does.
 */
public record ReleaseProgress(PullProgress pull, BuildProgress build) {

    public static final ReleaseProgress NONE = new ReleaseProgress(PullProgress.NONE, BuildProgress.NONE);

    /** Either may be null: nobody listens to it. */
    public static ReleaseProgress of(PullProgress pull, BuildProgress build) {
        return new ReleaseProgress(pull == null ? PullProgress.NONE : pull, build == null ? BuildProgress.NONE : build);
    }
}
