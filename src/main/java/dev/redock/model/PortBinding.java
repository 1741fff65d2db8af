package dev.redock.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published port: {@code [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]}, as {@code docker run -p} takes it.
 *
 * @param hostIp        the host address to bind, or empty for all addresses
 * @param hostPort      1-65535
 * @param containerPort 1-65535
 * @param protocol      {@code tcp}, {@code udp} or {@code sctp}
 */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {

    private static final Pattern SPEC = Pattern.compile(
            "(?:(?<ip>\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+\\]):)?(?<host>\\d{1,5}):(?<container>\\d{1,5})(?:/(?<proto>[a-zA-Z]+))?");

    public PortBinding {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null ? "tcp" : protocol;
    }

    public static PortBinding parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException("ports", "port binding is empty (expected HOST:CONTAINER, e.g. 8080:80)");
        }
        Matcher m = SPEC.matcher(text.strip());
        if (!m.matches()) {
            throw new ValidationException("ports", "invalid port binding \"" + text
                    + "\" (expected [IP:]HOST:CONTAINER[/tcp|udp], e.g. 8080:80)");
        }
        String ip = m.group("ip") == null ? "" : m.group("ip");
        if (!ip.isEmpty() && !ip.startsWith("[")) {
            for (String octet : ip.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new ValidationException("ports", "invalid address \"" + ip + "\" in port binding \"" + text + "\"");
                }
            }
        }
        int host = port(m.group("host"), "host", text);
        int container = port(m.group("container"), "container", text);
        String proto = m.group("proto") == null ? "tcp" : m.group("proto").toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new ValidationException("ports", "unknown protocol \"" + proto + "\" in port binding \"" + text + "\" (tcp, udp or sctp)");
        }
        return new PortBinding(ip, host, container, proto);
    }

    private static int port(String digits, String which, String text) {
        int value = Integer.parseInt(digits);
        if (value < 1 || value > 65535) {
            throw new ValidationException("ports", which + " port " + value + " in \"" + text + "\" is out of range (1-65535)");
        }
        return value;
    }

    @Override
    public String toString() {
        return (hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + ":" + containerPort + (protocol.equals("tcp") ? "" : "/" + protocol);
    }
}
