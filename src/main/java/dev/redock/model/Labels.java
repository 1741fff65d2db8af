package dev.redock.model;

/** The labels Redock puts on the containers it makes, so that the engine itself says what belongs to which service. */
public final class Labels {

    public static final String PREFIX = "dev.redock.";
    /** The service's uuid. */
    public static final String SERVICE = PREFIX + "service";
    /** The service's name at the time the container was made. */
    public static final String SERVICE_NAME = PREFIX + "service.name";
    /** The digest of the tag the container's image came from. */
    public static final String DIGEST = PREFIX + "digest";

    /** The commit a container's image was built from (services built from source). */
    public static final String COMMIT = PREFIX + "commit";
    /** OCI: the commit an image was built from. */
    public static final String OCI_REVISION = "org.opencontainers.image.revision";
    /** OCI: the repository an image was built from. */
    public static final String OCI_SOURCE = "org.opencontainers.image.source";

    /** The keys Redock sets itself; a user's spec may not. */
    public static final java.util.Set<String> RESERVED = java.util.Set.of(SERVICE, SERVICE_NAME, DIGEST, COMMIT);

    private Labels() {
    }
}
