package dev.redock.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;

import dev.redock.model.ContainerSetting;

/**
 * Reads the settings of a container that Redock's forms do not edit, in the docker CLI's words, for the Configuration tab
 * to show read-only: what the user (or compose) gave beyond the image's own defaults. A redeploy keeps every one of them.
 */
final class ContainerSettings {

    private ContainerSettings() {
    }

    static List<ContainerSetting> of(InspectContainerResponse c, InspectImageResponse image) {
        List<ContainerSetting> out = new ArrayList<>();
        ContainerConfig config = c.getConfig();
        ContainerConfig fromImage = image == null ? null : image.getConfig();
        HostConfig host = c.getHostConfig();
        if (config != null) {
            ownValue(out, "--entrypoint", join(config.getEntrypoint()), fromImage == null ? null : join(fromImage.getEntrypoint()));
            ownValue(out, "--user", config.getUser(), fromImage == null ? null : fromImage.getUser());
            ownValue(out, "--workdir", config.getWorkingDir(), fromImage == null ? null : fromImage.getWorkingDir());
            if (config.getHostName() != null && !c.getId().startsWith(config.getHostName())) {
                add(out, "--hostname", config.getHostName());
            }
            add(out, "--domainname", config.getDomainName());
            if (config.getHealthcheck() != null && (fromImage == null
                    || !Objects.equals(config.getHealthcheck(), fromImage.getHealthcheck()))) {
                add(out, "--health-cmd", join(config.getHealthcheck().getTest()));
            }
            flag(out, "--tty", config.getTty());
            flag(out, "--interactive", config.getStdinOpen());
        }
        if (host != null) {
            flag(out, "--init", host.getInit());
            flag(out, "--privileged", host.getPrivileged());
            flag(out, "--read-only", host.getReadonlyRootfs());
            add(out, "--cap-add", host.getCapAdd() == null ? null : Arrays.stream(host.getCapAdd()).map(Object::toString).collect(Collectors.joining(", ")));
            add(out, "--cap-drop", host.getCapDrop() == null ? null : Arrays.stream(host.getCapDrop()).map(Object::toString).collect(Collectors.joining(", ")));
            add(out, "--security-opt", list(host.getSecurityOpts()));
            add(out, "--device", host.getDevices() == null ? null : Arrays.stream(host.getDevices())
                    .map(d -> d.getPathOnHost() + ":" + d.getPathInContainer()).collect(Collectors.joining(", ")));
            add(out, "--gpus", host.getDeviceRequests() == null || host.getDeviceRequests().isEmpty() ? null
                    : host.getDeviceRequests().size() + " device request(s)");
            add(out, "--cgroup-parent", host.getCgroupParent());
            positive(out, "--memory", host.getMemory());
            positive(out, "--memory-reservation", host.getMemoryReservation());
            positive(out, "--memory-swap", host.getMemorySwap());
            positive(out, "--cpus (nano)", host.getNanoCPUs());
            positive(out, "--cpu-shares", host.getCpuShares() == null ? null : host.getCpuShares().longValue());
            add(out, "--cpuset-cpus", host.getCpusetCpus());
            positive(out, "--pids-limit", host.getPidsLimit());
            if (host.getShmSize() != null && host.getShmSize() != 64L * 1024 * 1024) {
                add(out, "--shm-size", host.getShmSize().toString());
            }
            add(out, "--ulimit", host.getUlimits() == null ? null : Arrays.stream(host.getUlimits())
                    .map(u -> u.getName() + "=" + u.getSoft() + ":" + u.getHard()).collect(Collectors.joining(", ")));
            positive(out, "--blkio-weight", host.getBlkioWeight() == null ? null : host.getBlkioWeight().longValue());
            add(out, "--sysctl", map(host.getSysctls()));
            if (host.getLogConfig() != null && host.getLogConfig().getType() != null) {
                String options = map(host.getLogConfig().getConfig());
                add(out, "--log-driver", host.getLogConfig().getType().getType() + (options == null ? "" : " (" + options + ")"));
            }
            add(out, "--dns", list(host.getDns()));
            add(out, "--dns-search", list(host.getDnsSearch()));
            add(out, "--add-host", list(host.getExtraHosts()));
            add(out, "--link", host.getLinks() == null || host.getLinks().length == 0 ? null
                    : Arrays.stream(host.getLinks()).map(Object::toString).collect(Collectors.joining(", ")));
            String mode = host.getNetworkMode();
            if (mode != null && (mode.equals("host") || mode.equals("none") || mode.startsWith("container:"))) {
                add(out, "--network", mode);
            }
            add(out, "--tmpfs", map(host.getTmpFs()));
        }
        c.getMounts().stream()
                .filter(m -> m.getName() != null && m.getName().matches("[0-9a-f]{64}"))
                .forEach(m -> add(out, "anonymous volume " + m.getDestination().getPath(), m.getName().substring(0, 12)
                        + " (re-attached at each redeploy)"));
        Map<String, ContainerNetwork> networks = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
        if (networks != null) {
            String shortId = c.getId().substring(0, 12);
            networks.forEach((name, n) -> {
                List<String> aliases = n.getAliases() == null ? List.of() : n.getAliases().stream().filter(a -> !a.equals(shortId)).toList();
                if (!aliases.isEmpty()) {
                    add(out, "network " + name + " aliases", String.join(", ", aliases));
                }
                if (n.getIpamConfig() != null) {
                    add(out, "network " + name + " --ip", n.getIpamConfig().getIpv4Address());
                    add(out, "network " + name + " --ip6", n.getIpamConfig().getIpv6Address());
                }
            });
        }
        return out;
    }

    private static void ownValue(List<ContainerSetting> out, String name, String value, String imageValue) {
        if (value != null && !value.isEmpty() && !value.equals(imageValue)) {
            out.add(new ContainerSetting(name, value));
        }
    }

    private static void add(List<ContainerSetting> out, String name, String value) {
        if (value != null && !value.isBlank()) {
            out.add(new ContainerSetting(name, value));
        }
    }

    private static void flag(List<ContainerSetting> out, String name, Boolean on) {
        if (Boolean.TRUE.equals(on)) {
            out.add(new ContainerSetting(name, "on"));
        }
    }

    private static void positive(List<ContainerSetting> out, String name, Long value) {
        if (value != null && value > 0) {
            out.add(new ContainerSetting(name, value.toString()));
        }
    }

    private static String join(String[] values) {
        return values == null || values.length == 0 ? null : String.join(" ", values);
    }

    private static String join(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(" ", values);
    }

    private static String list(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }

    private static String list(String[] values) {
        return values == null || values.length == 0 ? null : String.join(", ", values);
    }

    private static String map(Map<String, String> values) {
        return values == null || values.isEmpty() ? null
                : values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
