package dev.redock.engine;

import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;

import dev.redock.model.ContainerSetting;

/** Reads the settings of a container that Redock's forms do not edit, for the Configuration tab to show read-only. */
final class ContainerSettings {

    private ContainerSettings() {
    }

    static List<ContainerSetting> of(InspectContainerResponse c, InspectImageResponse image) {
        List<ContainerSetting> result = new ArrayList<>();
        return result;
    }
}
