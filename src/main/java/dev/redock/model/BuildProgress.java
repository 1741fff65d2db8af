package dev.redock.model;

/**
 * Hears how a build (or the fetch before it) goes, line by line; called on an I/O thread, so hand work to the UI thread
 * yourself.
 */
public interface BuildProgress {

    BuildProgress NONE = new BuildProgress() {
    };

    /** One line of output, as {@code docker build} prints it (also Redock's own lines: "Fetching ...", "Building ..."). */
    default void line(String text) {
    }

    /** The builder reached step {@code step} of {@code total} (a Dockerfile instruction). */
    default void step(int step, int total) {
    }
}
