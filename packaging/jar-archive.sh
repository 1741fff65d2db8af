#!/usr/bin/env bash
# Makes target/redock.jsa, the class-data-sharing archive of `java -jar target/redock.jar`, as `mvn package` runs it:
#
#   bash packaging/jar-archive.sh [JAR]      (default: target/redock.jar; the archive goes beside it, as redock.jsa)
#
# A JVM started with -XX:SharedArchiveFile=target/redock.jsa maps the classes in it, already read, checked and laid out,
# instead of reading them from the jar: about half of a CLI command's start (the README's run command passes it). The
# archive is dumped (-Xshare:dump) from the classes that a training run of the jar loaded, as the packaged launcher's is
# (packaging/training.sh: the window on Xvfb where there is one, typical read-only CLI commands). It adds some 15 s to
# `mvn package`.
#
# JDK 17 ties the archive to the jar as it was when the archive was made, and to the JVM that made it (here the java on
# the PATH, which the run command starts): a jar built again, or another java, runs without it, quietly. `mvn package`
# makes both together; -Dredock.archive.skip leaves the archive out.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=$(realpath "${1:-target/redock.jar}")
archive=$(dirname "$jar")/redock.jsa
# The java on the PATH, which the README's run command starts: an archive works only with the JVM that made it.
java=java

log() { printf '[jar-archive] %s\n' "$*" >&2; }
# A training run that fails leaves the jar without an archive, not the build without a jar.
die() { log "WARNING: $*; java -jar starts without an archive"; exit 0; }

[[ -f "$jar" ]] || { log "ERROR: no jar at $jar"; exit 1; }

# shellcheck source=packaging/training.sh
source packaging/training.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
train_class_list "$work/redock.classlist" "$work" "$java" "$jar" -- "$java" -jar "$jar"

rm -f "$archive"
if ! "$java" -Xshare:dump -XX:SharedClassListFile="$work/redock.classlist" -XX:SharedArchiveFile="$archive" -cp "$jar" \
    >"$work/dump.log" 2>&1 || [[ ! -s "$archive" ]]; then
    tail -n 30 "$work/dump.log" >&2
    die "-Xshare:dump made no archive"
fi
chmod 0644 "$archive"
log "$archive: $(wc -l <"$work/redock.classlist") classes, $(du -h "$archive" | cut -f1)"
