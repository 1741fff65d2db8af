package dev.redock.ui;

import java.util.UUID;

/**
 * Where a page can send the user: back to the service list, to a service's page, into the launch wizard or a service's
 * Edit form. Pages and dialogs are given this rather than the main window's navigator, so that the navigator knows the
 * pages it shows and no page knows the navigator. Called on the FX thread.
 */
public interface Navigation {

    void showList();

    void showDetail(UUID serviceId);

    void openLaunchWizard();

    void openEditor(UUID serviceId);
}
