package dev.redock.ui.tray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.app.AppIcons;

/**
 * A tray that also writes down, one line each, what it is asked to show: set {@code REDOCK_NOTIFICATION_LOG=<file>} to see
 * which tray the window uses and every notification it sends (the end-to-end tests read it).
 *
 * <pre>
 * 2026-11-22T10:00:00Z tray awt available=true
 * 2026-11-22T10:00:09Z notify INFO 5c0e…-uuid | web redeployed | 3f2a1b4c5d6e → 9c8d7e6f5a4b (succeeded)
 * </pre>
 */
public final class RecordingTray implements Tray {

    /** The environment variable naming the file. */
    public static final String ENV = "REDOCK_NOTIFICATION_LOG";

    private static final Logger LOG = LoggerFactory.getLogger(RecordingTray.class);

    private final Tray tray;
    private final Path file;

    public RecordingTray(Tray tray, Path file) {
        this.tray = tray;
        this.file = file;
        record("tray " + (tray instanceof AwtTray ? "awt" : "window") + " available=" + tray.isAvailable());
    }

    /** The file named by {@value #ENV}, or null. */
    public static Path fileFrom(java.util.Map<String, String> env) {
        String v = env.get(ENV);
        return v == null || v.isBlank() ? null : Path.of(v.strip());
    }

    /** Writes one line (any thread). */
    public synchronized void record(String line) {
        try {
            Files.writeString(file, Instant.now() + " " + line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.warn("Cannot write to {}: {}", file, e.getMessage());
        }
    }

    @Override
    public boolean install(TrayActions actions) {
        boolean ok = tray.install(actions);
        record("install " + ok);
        return ok;
    }

    @Override
    public boolean isAvailable() {
        return tray.isAvailable();
    }

    @Override
    public void notify(Notification n) {
        record("notify " + n.level() + " " + n.serviceId() + " | " + n.title() + " | " + n.text());
        tray.notify(n);
    }

    @Override
    public void setState(AppIcons.State state) {
        record("state " + state);
        tray.setState(state);
    }

    @Override
    public void setPaused(boolean paused) {
        record("paused " + paused);
        tray.setPaused(paused);
    }

    @Override
    public void setRecent(List<RecentDeployment> recent) {
        tray.setRecent(recent);
    }

    @Override
    public void setGlyph(AppIcons.Glyph glyph) {
        record("glyph " + glyph);
        tray.setGlyph(glyph);
    }

    @Override
    public void close() {
        record("close");
        tray.close();
    }
}
