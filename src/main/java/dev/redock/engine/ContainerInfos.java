package dev.redock.engine;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Ports;

import dev.redock.model.ContainerInfo;
import dev.redock.model.ContainerState;
import dev.redock.model.PortBinding;

/** Reads the engine's description of a container ({@code docker inspect}) as Redock's {@link ContainerInfo}. */
final class ContainerInfos {

    private ContainerInfos() {
    }

    static ContainerInfo of(InspectContainerResponse c) {
        var s = c.getState();
        String health = null;
        String healthOutput = null;
        if (s.getHealth() != null && s.getHealth().getStatus() != null && !s.getHealth().getStatus().isEmpty()) {
            health = s.getHealth().getStatus();
            List<HealthStateLog> log = s.getHealth().getLog();
            if (log != null && !log.isEmpty() && log.get(log.size() - 1).getOutput() != null) {
                healthOutput = log.get(log.size() - 1).getOutput().strip();
            }
        }
        String error = s.getError() == null || s.getError().isEmpty() ? null : s.getError();
        ContainerState state = new ContainerState(s.getStatus(), Boolean.TRUE.equals(s.getRunning()), Boolean.TRUE.equals(s.getRestarting()),
                s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), c.getRestartCount() == null ? 0 : c.getRestartCount(),
                instant(s.getStartedAt()), instant(s.getFinishedAt()), health, healthOutput, Boolean.TRUE.equals(s.getOOMKilled()), error);
        String name = c.getName() == null ? "" : c.getName().replaceFirst("^/", "");
        Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
        String image = c.getConfig() == null ? null : c.getConfig().getImage();
        List<PortBinding> ports = c.getNetworkSettings() == null ? List.of()
                : publishedPorts(portBindings(c.getNetworkSettings().getPorts()));
        return new ContainerInfo(c.getId(), name, image, c.getImageId(), state, labels, instant(c.getCreated()), ports);
    }

    /**
     * A container as the engine describes it ({@code GET /containers/{id}/json}, as JSON), read as {@link #of} reads
     * docker-java's model of the same answer. Reading the JSON spares building that model, which costs a process more
     * than the call the first time: the list of services inspects the containers that do not run, and a command that
     * lists them inspects nothing else.
     */
    static ContainerInfo inspected(JsonNode c) {
        JsonNode s = c.path("State");
        String health = null;
        String healthOutput = null;
        String healthStatus = s.path("Health").path("Status").asText("");
        if (!healthStatus.isEmpty()) {
            health = healthStatus;
            JsonNode log = s.path("Health").path("Log");
            if (log.isArray() && !log.isEmpty() && log.get(log.size() - 1).path("Output").isTextual()) {
                healthOutput = log.get(log.size() - 1).path("Output").asText().strip();
            }
        }
        String error = s.path("Error").asText("");
        ContainerState state = new ContainerState(s.path("Status").asText(null), s.path("Running").asBoolean(),
                s.path("Restarting").asBoolean(), s.path("ExitCode").asInt(), c.path("RestartCount").asInt(),
                instant(s.path("StartedAt").asText(null)), instant(s.path("FinishedAt").asText(null)), health,
                healthOutput, s.path("OOMKilled").asBoolean(), error.isEmpty() ? null : error);
        Map<String, String> labels = new HashMap<>();
        c.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<PortBinding> ports = new ArrayList<>();
        c.path("NetworkSettings").path("Ports").fields().forEachRemaining(exposed -> {
            String[] portAndProtocol = exposed.getKey().split("/", 2);
            int containerPort = parsePort(portAndProtocol[0]);
            String protocol = portAndProtocol.length > 1 ? portAndProtocol[1] : "tcp";
            for (JsonNode b : exposed.getValue()) {
                String ip = b.path("HostIp").asText("");
                ports.add(new PortBinding(ip.contains(":") ? "[" + ip + "]" : ip,
                        parsePort(b.path("HostPort").asText(null)), containerPort, protocol));
            }
        });
        return new ContainerInfo(c.path("Id").asText(), c.path("Name").asText("").replaceFirst("^/", ""),
                c.path("Config").path("Image").asText(null), c.path("Image").asText(null), state, labels,
                instant(c.path("Created").asText(null)), publishedPorts(ports));
    }

    /**
     * A running (or paused) container as the engine's list describes it ({@code GET /containers/json}, as JSON): its id,
     * name, image, labels, creation and state; its published ports, start time and health are not in the list, and are
     * left empty.
     */
    static ContainerInfo running(JsonNode c) {
        ContainerState state = new ContainerState(c.path("State").asText(), true, false, 0, 0, null, null, null, null, false,
                null);
        String id = c.path("Id").asText();
        JsonNode names = c.path("Names");
        String name = names.isArray() && !names.isEmpty() ? names.get(0).asText().replaceFirst("^/", "") : id;
        Map<String, String> labels = new HashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Instant created = c.path("Created").isNumber() ? Instant.ofEpochSecond(c.path("Created").asLong()) : null;
        return new ContainerInfo(id, name, c.path("Image").asText(null), c.path("ImageID").asText(null), state, labels,
                created, List.of());
    }

    private static List<PortBinding> publishedPorts(List<PortBinding> bindings) {
        List<PortBinding> all = bindings.stream().filter(p -> p.hostPort() > 0).toList();
        // With IPv6 on, the engine lists a binding to all addresses twice (0.0.0.0 and ::); one is enough.
        return all.stream()
                .filter(p -> !p.hostIp().equals("[::]") || all.stream().noneMatch(q -> q.hostIp().equals("0.0.0.0")
                        && q.hostPort() == p.hostPort() && q.containerPort() == p.containerPort() && q.protocol().equals(p.protocol())))
                .toList();
    }

    /** Every binding of the engine's port map as Redock's, an IPv6 host address in brackets; a port it cannot read is 0. */
    static List<PortBinding> portBindings(Ports ports) {
        if (ports == null) {
            return List.of();
        }
        List<PortBinding> all = new ArrayList<>();
        for (var entry : ports.getBindings().entrySet()) {
            for (Ports.Binding b : entry.getValue() == null ? new Ports.Binding[0] : entry.getValue()) {
                String ip = b.getHostIp() == null ? "" : b.getHostIp();
                all.add(new PortBinding(ip.contains(":") ? "[" + ip + "]" : ip, parsePort(b.getHostPortSpec()),
                        entry.getKey().getPort(), entry.getKey().getProtocol().toString()));
            }
        }
        return all;
    }

    private static int parsePort(String spec) {
        try {
            return spec == null ? 0 : Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
