#!/usr/bin/env bash
# Builds Redock's macOS package with jpackage, on a Mac, from anywhere in the repository:
#
#   bash packaging/macos/package.sh [dmg|pkg]        (default: dmg)
#
# Needs a JDK 17+ (jpackage), Maven and the Xcode command line tools. Writes target/packages/Redock-<version>.dmg (or
# .pkg). Unsigned: add --mac-sign and --mac-signing-key-user-name to packaging/macos/jpackage.txt to sign.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
type=${1:-dmg}
case "$type" in dmg|pkg) ;; *) echo "usage: bash packaging/macos/package.sh [dmg|pkg]" >&2; exit 2 ;; esac

[[ -f target/redock.jar ]] || mvn -B -q -DskipTests package
# jpackage wants numbers only (0.1.0-SNAPSHOT packages as 0.1.0), and on macOS a first number above zero.
full_version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
version=${REDOCK_MAC_VERSION:-${full_version%%-*}}
if [[ "$version" == 0.* ]]; then
    echo "macOS refuses app version $version (the first number must be above 0): set REDOCK_MAC_VERSION, e.g. 1.0.0" >&2
    exit 2
fi

rm -rf target/jpackage-macos target/packages
mkdir -p target/jpackage-macos/input target/packages
cp target/redock.jar target/jpackage-macos/input/

jpackage @packaging/macos/jpackage.txt --type "$type" --app-version "$version" \
    --input target/jpackage-macos/input --dest target/packages
ls target/packages
