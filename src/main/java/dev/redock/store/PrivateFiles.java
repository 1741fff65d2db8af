package dev.redock.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Keeps the data folder to its user: the database, its password, the API token, the services' environment and the logs
 * are in it, and another user of the machine who reads them can redeploy or rewrite a service. The folder is made
 * {@code 0700} and, on every start, taken back to it; the files in it (and in its {@code logs} folder) lose any access
 * for group and others, which leaves them {@code 0600}, whatever the umask gave them.
 *
 * <p>Only on POSIX file systems, and only for what the user owns: a folder somebody else made for Redock (a shared
 * {@code REDOCK_HOME}, say) keeps the modes its owner chose. Elsewhere nothing is changed, quietly.
 */
public final class PrivateFiles {

    /** The folders inside the data folder whose files are tightened too (a git cache is guarded by its folder alone). */
    private static final Set<String> SUBFOLDERS_WITH_FILES = Set.of("logs");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrivateFiles() {
    }

    /**
     * Makes the folder ({@code 0700}) if it is missing, and takes group's and others' access to it away if it is there.
     * Its parents are made as usual.
     */
    public static Path folder(Path folder) throws IOException {
        Path f = folder.toAbsolutePath();
        if (!Files.isDirectory(f)) {
            if (f.getParent() != null) {
                Files.createDirectories(f.getParent());
            }
            try {
                Files.createDirectory(f, ownerOnly(f.getParent(), "rwx------"));
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: tightened below like any other
            }
        }
        restrict(f);
        return f;
    }

    /**
     * Takes group's and others' access away from the data folder, the files in it, its subfolders and the files in its
     * {@code logs} folder: what Redock and H2 made there with the umask's modes. Symbolic links are left alone.
     */
    public static void tighten(Path dataFolder) throws IOException {
        Path f = dataFolder.toAbsolutePath();
        if (!posix(f) || !ownedByUser(f)) {
            return;
        }
        restrict(f);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(f)) {
            for (Path entry : entries) {
                restrict(entry);
                if (SUBFOLDERS_WITH_FILES.contains(entry.getFileName().toString())
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
                        files.forEach(PrivateFiles::restrictQuietly);
                    }
                }
            }
        }
    }

    /**
     * The secret kept in {@code file}, or a new one (256 random bits, URL-safe base64) when there is none yet. A new
     * secret is written to a temporary file ({@code 0600}) and forced to disk, then linked into place, so that the file
     * is either absent or whole, and never replaced: when several processes make one at once, one of them wins and all
     * read the same.
     *
     * @throws UnusableSecretException when the file holds no usable secret (emptied or edited by hand)
     * @throws IOException               when the file cannot be read or written
     */
    public static String secret(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            create(file, randomSecret(32));
        }
        restrict(file);
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!secret.matches("[A-Za-z0-9_-]{32,}")) {
            throw new UnusableSecretException(file);
        }
        return secret;
    }

    /** A secret's file that is there but does not hold one: what to do about it depends on the secret. */
    public static final class UnusableSecretException extends IOException {
        UnusableSecretException(Path file) {
            super(file + " holds no usable secret");
        }
    }

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    public static String randomSecret(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void create(Path file, String secret) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName() + "-", ".tmp", ownerOnly(folder, "rw-------"));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                return; // another process's secret is in place: everybody uses that one
            } catch (UnsupportedOperationException noHardLinks) {
                try {
                    Files.move(temp, file);
                } catch (FileAlreadyExistsException raced) {
                    return;
                }
            }
            forceFolder(folder);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes {@code text} to {@code file} ({@code 0600}), replacing what was there in one step: a reader finds the old
     * content or the new, never a part of it.
     */
    public static void replace(Path file, String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName() + "-", ".tmp", ownerOnly(folder, "rw-------"));
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the folder's entries to disk (where the platform allows it): the new file's name survives a power cut. */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notPossibleHere) {
            // Windows cannot open a folder as a channel; its file systems order this themselves.
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path folder, String mode) {
        return folder != null && posix(folder)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    /** Removes group's and others' permissions from what the user owns; leaves the rest and symbolic links alone. */
    private static void restrict(Path path) throws IOException {
        if (!posix(path) || Files.isSymbolicLink(path) || !Files.exists(path) || !ownedByUser(path)) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (mode.removeAll(GROUP_AND_OTHERS)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static void restrictQuietly(Path path) {
        try {
            restrict(path);
        } catch (IOException gone) {
            // a log file rotated away meanwhile
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static boolean ownedByUser(Path path) {
        try {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(user);
        } catch (IOException | UnsupportedOperationException unknown) {
            return false;
        }
    }
}
