#!/usr/bin/env bash
# Builds Redock's Linux packages with jpackage:
#
#   bash packaging/package.sh [--jar PATH] [--rebuild] [--no-deb]
#
#   target/packages/redock/                          the app-image: run target/packages/redock/bin/redock
#   target/packages/redock_<version>-1_<arch>.deb    (where dpkg-deb exists) installs the app-image to /opt/redock, the
#                                                    `redock` command, the menu entry, the icons and the AppStream data
#
#   --jar PATH   package this jar and build none (default: target/redock.jar, built with `mvn -B -DskipTests package`
#                when it is missing)
#   --rebuild    build target/redock.jar even when it exists
#   --no-deb     stop after the app-image
#
# Needs a JDK 17 or later with jpackage, jdeps and its jmods (from $JAVA_HOME, else the PATH); the .deb also needs
# dpkg-deb and fakeroot. The packages bundle their own Java runtime, cut down to the JDK modules Redock uses (this
# script says which and why). Windows and macOS: packaging/windows/ and packaging/macos/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly LINUX=packaging/linux
readonly OUT=target/packages
readonly WORK=target/jpackage
readonly APP_ID=dev.redock.Redock
readonly MAIN_CLASS=dev.redock.Main
readonly VENDOR="Redock"
readonly DESCRIPTION="Keeps Docker services up to date by themselves"
readonly COPYRIGHT="Copyright the Redock developers"
readonly MAINTAINER_EMAIL="maintainers@redock.dev"
# Where packaging/screenshots/*.png are published: AppStream wants absolute URLs.
readonly SCREENSHOTS_URL="${REDOCK_SCREENSHOTS_URL:-https://redock.dev/screenshots}"
readonly HICOLOR_SIZES=(16 24 32 48 64 128 256 512)

log() { printf '[package] %s\n' "$*" >&2; }
die() { printf '[package] ERROR: %s\n' "$*" >&2; exit 1; }

jar=""
rebuild=false
want_deb=true
while [[ $# -gt 0 ]]; do
    case "$1" in
        --jar) [[ $# -ge 2 ]] || die "--jar needs a path"; jar=$2; shift 2 ;;
        --rebuild) rebuild=true; shift ;;
        --no-deb) want_deb=false; shift ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

# --------------------------------------------------------------------------------------------------------- the tools

jdk_tool() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/$1" ]]; then
        echo "$JAVA_HOME/bin/$1"
    else
        command -v "$1"
    fi
}
JPACKAGE=$(jdk_tool jpackage) || die "jpackage not found: it comes with a full JDK 17 or later (Debian: openjdk-17-jdk); \
set JAVA_HOME to one, or put its bin/ on the PATH"
JAR_TOOL=$(jdk_tool jar) || die "the JDK's jar tool was not found"
JDEPS=$(jdk_tool jdeps) || die "the JDK's jdeps tool was not found"
JAVA=$(jdk_tool java) || die "the JDK's java was not found"

# ----------------------------------------------------------------------------------------------------------- the jar

if [[ -z "$jar" ]]; then
    jar=target/redock.jar
    if [[ "$rebuild" == true || ! -f "$jar" ]]; then
        log "building $jar (mvn -B -DskipTests package)"
        mvn -B -q -DskipTests package </dev/null
    fi
fi
[[ -f "$jar" ]] || die "no jar at $jar"

rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK/input" "$WORK/manifest"
cp "$jar" "$WORK/input/redock.jar"

# The version is the jar's own; jpackage takes numbers only, so 0.1.0-SNAPSHOT packages as 0.1.0.
(cd "$WORK/manifest" && "$JAR_TOOL" --extract --file ../input/redock.jar META-INF/MANIFEST.MF)
full_version=$(sed -n 's/^Implementation-Version: *\([^[:space:]]*\).*/\1/p' "$WORK/manifest/META-INF/MANIFEST.MF")
[[ -n "$full_version" ]] || die "$jar has no Implementation-Version in its manifest"
version=${full_version%%-*}
[[ "$version" =~ ^[0-9]+(\.[0-9]+){0,3}$ ]] || die "cannot make a package version of $full_version"
log "packaging redock $full_version as $version with $JPACKAGE"

# -------------------------------------------------------------------------------------------------- the Java runtime

# jpackage's default runtime for a class-path application is every module of the JDK (jdk.compiler, jdk.localedata,
# jdk.jshell, ...: 134 MB of the 178 MB app-image). Redock's runtime has only the modules it uses:
#
#   1. those jdeps finds in redock.jar's bytecode, computed here on every build rather than kept in a list: a library
#      that starts using another JDK module brings it into the runtime by itself, with nobody to remember it (jdeps
#      takes about half a minute on the 46 MB jar);
#   2. plus EXTRA_MODULES: those no tool can find, because the code reaches them only by name at run time
#      (ServiceLoader, Security.getProvider, JAAS or JNDI lookups). Each is explained below; a fixed list of all of
#      them would have to be kept in step with every dependency by hand, and a module it missed shows up only as a
#      NoClassDefFoundError on the one code path that needs it.
#
# Left out on purpose (the default runtime has them):
#   jdk.localedata  22 MB of CLDR data for locales other than English: Redock formats with Locale.ROOT and fixed
#                   patterns, its UI is English, and JavaFX and ControlsFX carry their own resource bundles.
#   jdk.charsets    1.9 MB of rarer charsets (EBCDIC, ISO-2022-JP, x-Mac*): java.base on Linux already has UTF-8, the
#                   ISO-8859 and windows-125x families, Shift_JIS, EUC-*, GBK, Big5, KOI8; JGit reads a commit whose
#                   encoding header names an unknown charset as UTF-8.
#   jdk.management  only H2's Utils.scaleForAvailableMemory asks for com.sun.management, by reflection with a fallback,
#                   and only when the heap has no maximum.
#   jdk.compiler    only H2's CREATE ALIAS ... AS <Java source>, which Redock does not use (java.compiler, the API, is
#                   in through jdeps).
#   jdk.jsobject, jdk.xml.dom, jdk.unsupported.desktop   JavaFX's WebView and Swing interop, not in redock.jar.
readonly EXTRA_MODULES=(
    # The SunEC provider: ECDHE and X25519 key exchange and ECDSA/EdDSA signatures, a JCA provider found by name.
    # Without it TLS to most registries (java.net.http), to git servers over https (JGit) and to Docker engines over
    # TLS fails in the handshake (a git clone over https from a server with an EC certificate does). ssh does not
    # need it: MINA sshd does its EC and ed25519 through the BouncyCastle inside redock.jar.
    jdk.crypto.ec
    # The SunPKCS11 provider: JGit's ssh looks it up by name for a PKCS11Provider line in ~/.ssh/config (keys on a
    # smart card or a hardware token).
    jdk.crypto.cryptoki
    # Kerberos for git (ssh's GSSAPIAuthentication, https's Negotiate), through java.security.jgss (which jdeps finds):
    # when it logs in by itself (javax.security.auth.useSubjectCredsOnly=false) it does so through JAAS with
    # com.sun.security.auth.module.Krb5LoginModule, named in a string; that class is in jdk.security.auth ...
    jdk.security.auth
    # ... and it finds a realm's KDCs in DNS through the JNDI "dns:" provider, which is this module.
    jdk.naming.dns
    # The zip file system ("jar:" URIs, FileSystems.newFileSystem on a .jar), a ServiceLoader provider: ControlsFX's
    # i18n Translations opens redock.jar with it.
    jdk.zipfs
)

# jdeps reads the jar as the packaging JDK's own release would (the jar is multi-release). Its stdout's last line is
# the list; --ignore-missing-deps because redock.jar refers to optional classes it does not carry (servlets, Lucene).
jdk_release=$("$JDEPS" --version)
jdk_release=${jdk_release%%[!0-9]*}
log "finding the JDK modules redock.jar uses (jdeps, about half a minute)"
"$JDEPS" --ignore-missing-deps --multi-release "$jdk_release" --print-module-deps "$WORK/input/redock.jar" \
    >"$WORK/jdeps.txt" 2>"$WORK/jdeps.err" || { cat "$WORK/jdeps.err" >&2; die "jdeps failed on $jar"; }
jdeps_modules=$(tail -n 1 "$WORK/jdeps.txt")
[[ "$jdeps_modules" =~ ^[a-z][a-z0-9.]*(,[a-z][a-z0-9.]*)*$ && ",$jdeps_modules," == *,java.base,* ]] \
    || { cat "$WORK/jdeps.txt" "$WORK/jdeps.err" >&2; die "jdeps printed no module list"; }
# An extra module that this JDK does not have is left out, with a word, rather than failing jlink (JDK 22 moved SunEC
# into java.base and deprecated jdk.crypto.ec for removal).
jdk_modules=$("$JAVA" --list-modules | sed 's/@.*//')
modules=$jdeps_modules
for module in "${EXTRA_MODULES[@]}"; do
    if grep -qx "$module" <<<"$jdk_modules"; then
        modules+=",$module"
    else
        log "this JDK has no $module: the runtime goes without it"
    fi
done
printf '%s\n' "$modules" >"$WORK/modules.txt"
log "runtime modules: $modules"

# ----------------------------------------------------------------------------------------------------- the app-image

# What the launcher gives the JVM, in every mode (window, agent, CLI): a bounded heap and the serial collector, which
# suit a small resident process (an agent following 200 services stayed at about 190 MB resident with them, 250-330 MB
# with the JVM's defaults; the live heap is 20-30 MB), and the class-data-sharing archive made below. jpackage's launcher
# replaces $APPDIR with the app's folder (lib/app) when it starts.
readonly JAVA_OPTIONS=(-Xmx128m -XX:+UseSerialGC '-XX:SharedArchiveFile=$APPDIR/redock.jsa')
# And the archive mapped where it was laid out: Java 17's updates map a CDS archive at a random address by default
# (-XX:ArchiveRelocationMode=1) and then rewrite every pointer in it, which touches all of its 60 MB before main() runs
# (0.3 to 0.7 s of "Genesis" in -Xlog:startuptime on a busy 2-core machine, against 0.01 s at its own address). Mode 0
# maps it at its own address and relocates only when that address is taken. The option is a diagnostic one, so it goes
# in only where this JDK's java accepts it.
readonly ARCHIVE_AT_ITS_ADDRESS=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
java_options=()
if "$JAVA" "${ARCHIVE_AT_ITS_ADDRESS[@]}" -version >/dev/null 2>&1; then
    for option in "${ARCHIVE_AT_ITS_ADDRESS[@]}"; do java_options+=(--java-options "$option"); done
else
    log "this JDK's java does not take ${ARCHIVE_AT_ITS_ADDRESS[*]}: the archive is mapped where Java chooses"
fi
for option in "${JAVA_OPTIONS[@]}"; do java_options+=(--java-options "$option"); done

# The runtime is jlinked from the modules above with jpackage's own default jlink options, spelled out because
# --jlink-options replaces them: no debug attributes, no C headers or man pages; but with bin/java, which the launcher
# runs (below; lib/runtime/release lists the runtime's modules). No --compress: zipped modules would save about 28 MB on disk but cost startup time and make the .deb (already xz)
# larger, not smaller. No --bind-services: it would pull back in nearly every module.
"$JPACKAGE" --type app-image \
    --name redock \
    --app-version "$version" \
    --vendor "$VENDOR" \
    --description "$DESCRIPTION" \
    --copyright "$COPYRIGHT" \
    --input "$WORK/input" \
    --main-jar redock.jar \
    --main-class "$MAIN_CLASS" \
    --add-modules "$modules" \
    --jlink-options "--strip-debug --no-header-files --no-man-pages" \
    "${java_options[@]}" \
    --icon icons/png/redock-256.png \
    --dest "$OUT"
readonly IMAGE=$OUT/redock

# The launcher, bin/redock, is packaging/linux/redock: it runs lib/runtime/bin/java with what jpackage wrote to
# lib/app/redock.cfg. jpackage's own (Java 17) asks rpm and dpkg which package it belongs to at every start, twice, which
# cost each CLI command a few tenths of a second. The runtime's other commands go.
install -m 0755 "$LINUX/redock" "$IMAGE/bin/redock"
find "$IMAGE/lib/runtime/bin" -type f ! -name java -delete

# The desktop integration travels inside the image, in lib/ beside jpackage's own files (jpackage carries only bin/
# and lib/ of an app-image into a package); the .deb's postinst hands it to the desktop.
install -m 0644 "$LINUX/$APP_ID.desktop" "$IMAGE/lib/$APP_ID.desktop"
for size in "${HICOLOR_SIZES[@]}"; do
    install -D -m 0644 "icons/png/redock-$size.png" "$IMAGE/lib/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -D -m 0644 icons/redock.svg "$IMAGE/lib/icons/hicolor/scalable/apps/$APP_ID.svg"

screenshots() {
    local first=true shot name caption
    shopt -s nullglob
    # The light ones first (the first is the default screenshot), then the *-dark ones.
    local shots=()
    for shot in packaging/screenshots/*.png; do [[ "$shot" == *-dark.png ]] || shots+=("$shot"); done
    for shot in packaging/screenshots/*-dark.png; do shots+=("$shot"); done
    shopt -u nullglob
    [[ ${#shots[@]} -gt 0 ]] || return 0
    echo '  <screenshots>'
    for shot in "${shots[@]}"; do
        name=$(basename "$shot" .png)
        # 01-service-list.png: "Service list"; service-list-dark.png: "Service list, dark theme"
        caption=$(sed -e 's/^[0-9]*[-_]//' -e 's/[-_]dark$/, dark theme/' -e 's/[-_]/ /g' <<<"$name")
        caption="$(tr '[:lower:]' '[:upper:]' <<<"${caption:0:1}")${caption:1}"
        if [[ "$first" == true ]]; then echo '    <screenshot type="default">'; first=false; else echo '    <screenshot>'; fi
        echo "      <caption>$caption</caption>"
        echo "      <image>$SCREENSHOTS_URL/$name.png</image>"
        echo '    </screenshot>'
    done
    echo '  </screenshots>'
}
metainfo=$IMAGE/lib/$APP_ID.metainfo.xml
screenshots >"$WORK/screenshots.xml"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%F)/" \
    -e "/<!-- @SCREENSHOTS@ -->/{r $WORK/screenshots.xml" -e 'd}' \
    -e '/packaging\/package.sh fills in/,/-->/d' \
    "$LINUX/$APP_ID.metainfo.xml" >"$metainfo"
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net --explain "$metainfo" >"$WORK/appstream.log" 2>&1 \
        || { cat "$WORK/appstream.log" >&2; die "appstreamcli validate found problems in $metainfo"; }
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$IMAGE/lib/$APP_ID.desktop" || die "desktop-file-validate failed"
fi

# ------------------------------------------------------------------------------------ the class-data-sharing archive

# lib/app/redock.jsa: the classes a Redock process loads (the JDK's and Redock's), read, checked and laid out once, here,
# so that each start maps them instead. It is dumped (-Xshare:dump) from lib/app/redock.classlist, the names of the
# classes that a training run of the packaged launcher loaded (packaging/training.sh: the window, typical CLI commands).
#
# JDK 17 ties the archive to the jar's path as it was when the archive was made: an app-image moved elsewhere quietly runs
# without it. So the .deb carries the class list rather than the archive, and its postinst dumps the archive in
# /opt/redock (packaging/linux/postinst), the same way.
# shellcheck source=packaging/training.sh
source packaging/training.sh

train() {
    cp "$IMAGE/lib/app/redock.cfg" "$WORK/redock.cfg"
    # Trained without the archive it makes.
    grep -v -- '-XX:SharedArchiveFile=' "$WORK/redock.cfg" >"$IMAGE/lib/app/redock.cfg"
    train_class_list "$PWD/$IMAGE/lib/app/redock.classlist" "$PWD/$WORK" "$PWD/$IMAGE/lib/runtime/bin/java" \
        "$PWD/$IMAGE/lib/app/redock.jar" -- "$PWD/$IMAGE/bin/redock"
    cp "$WORK/redock.cfg" "$IMAGE/lib/app/redock.cfg"
    # The launcher's own -XX:SharedArchiveFile names where the archive goes.
    JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$PWD/$IMAGE/lib/app/redock.classlist" "$IMAGE/bin/redock" \
        >"$WORK/cds-dump.log" 2>&1 || { tail -n 30 "$WORK/cds-dump.log" >&2; die "-Xshare:dump failed (log: $WORK/cds-dump.log)"; }
    [[ -s "$IMAGE/lib/app/redock.jsa" ]] || die "-Xshare:dump wrote no archive (log: $WORK/cds-dump.log)"
    chmod 0644 "$IMAGE/lib/app/redock.jsa" "$IMAGE/lib/app/redock.classlist"
    log "class-data-sharing archive: $IMAGE/lib/app/redock.jsa ($(du -h "$IMAGE/lib/app/redock.jsa" | cut -f1)," \
        "$(wc -l <"$IMAGE/lib/app/redock.classlist") classes)"
}
train

log "app-image: $IMAGE (run $IMAGE/bin/redock)"

# ----------------------------------------------------------------------------------------------------------- the .deb

if [[ "$want_deb" != true ]]; then
    exit 0
fi
if ! command -v dpkg-deb >/dev/null 2>&1; then
    log "no dpkg-deb on this machine: no .deb (the app-image is done)"
    exit 0
fi
# From the finished image: no second jlink. packaging/linux holds the postinst and prerm templates. No --icon and no
# --linux-shortcut here: the menu entry and the icons are Redock's own (lib/dev.redock.Redock.*), not jpackage's.
# Without the image's class-data-sharing archive, which names the jar where the image is now: postinst makes the
# package's own from lib/app/redock.classlist in /opt/redock, and prerm removes it.
rm -rf "$WORK/deb-image"
cp -a "$IMAGE" "$WORK/deb-image"
rm "$WORK/deb-image/lib/app/redock.jsa"
"$JPACKAGE" --type deb \
    --app-image "$WORK/deb-image" \
    --name redock \
    --app-version "$version" \
    --vendor "$VENDOR" \
    --description "$DESCRIPTION" \
    --copyright "$COPYRIGHT" \
    --resource-dir "$LINUX" \
    --linux-package-name redock \
    --linux-deb-maintainer "$MAINTAINER_EMAIL" \
    --linux-app-category admin \
    --linux-package-deps libgtk-3-0 \
    --temp "$WORK/deb" \
    --dest "$OUT"
deb=$(find "$OUT" -maxdepth 1 -name 'redock_*.deb' -print -quit)
[[ -n "$deb" ]] || die "jpackage made no .deb in $OUT"
log "deb: $deb"
