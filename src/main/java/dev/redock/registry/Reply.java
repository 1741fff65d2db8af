package dev.redock.registry;

import java.net.URI;
import java.net.http.HttpHeaders;

/** A registry's answer, read whole: its status, headers and body, and the address that gave it (after any redirects). */
record Reply(int status, HttpHeaders headers, byte[] body, URI uri) {

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** Who answered, e.g. {@code registry-1.docker.io} or {@code 127.0.0.1:5000}. */
    String host() {
        return uri.getAuthority();
    }
}
