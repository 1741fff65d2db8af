#!/usr/bin/env bash
# Runs Redock's tests against the real thing: a Docker engine and a Distribution registry on 127.0.0.1.
#
#   bash src/test/scripts/run-tests.sh [extra Maven arguments]
#
# On a Debian or Ubuntu machine it installs what is missing (as root), starts a Docker engine if none answers (and leaves
# it running), starts a registry of its own for this run (and stops it at the end), builds the fixture image without any
# network, runs `mvn -B verify`, and at the end removes what this run made on the engine: only what carries its label
# dev.redock.test.run=<run id>, or <run id>-<JVM> for what each test JVM made. The exit code is Maven's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
readonly REPO_ROOT="$PWD"
readonly RUN_LABEL="dev.redock.test.run"
readonly RUN_ID="$(date +%s)-$(printf '%04x' "$RANDOM")"
readonly ENV_DIR="$REPO_ROOT/target/test-env/run-$RUN_ID"
readonly DEFAULT_DOCKER_HOST="unix:///var/run/docker.sock"

log() { printf '[run-tests] %s\n' "$*" >&2; }
die() { printf '[run-tests] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------- what is missing

busybox_is_static() {
    [[ -x /bin/busybox ]] || return 1
    if command -v ldd >/dev/null 2>&1; then
        ! ldd /bin/busybox >/dev/null 2>&1   # ldd fails on a static binary ("not a dynamic executable")
    else
        dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'
    fi
}

missing_packages() {
    local missing=()
    # A Docker engine already answering (or a docker CLI with a daemon binary) is used as is, whatever installed it.
    if ! command -v docker >/dev/null 2>&1 || { ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null 2>&1; }; then
        missing+=(docker.io)
    fi
    # The fault-matrix tests start a Docker engine of their own (dockerd) on a bridge of their own (ip, from iproute2).
    command -v dockerd >/dev/null 2>&1 || [[ -x /usr/sbin/dockerd ]] || missing+=(docker.io)
    command -v ip >/dev/null 2>&1 || [[ -x /usr/sbin/ip ]] || [[ -x /sbin/ip ]] || missing+=(iproute2)
    # The Podman tests start a Podman service of their own and run Redock through its Docker-compatible API; its networks
    # are netavark's (only recommended by the podman package).
    command -v podman >/dev/null 2>&1 || [[ -x /usr/bin/podman ]] || missing+=(podman)
    [[ -x /usr/lib/podman/netavark || -x /usr/libexec/podman/netavark ]] || missing+=(netavark)
    command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
    # The compose tests run a project with compose (Debian has the Python docker-compose 1.29; a docker compose plugin
    # does not stand in for it: the tests name compose 1.x's containers).
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
    busybox_is_static || missing+=(busybox-static)
    command -v git >/dev/null 2>&1 || missing+=(git)
    command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
    # The ssh remote tests start their own sshd and ssh-agent (and make keys with ssh-keygen). Where systemd runs, installing
    # openssh-server also starts the system's sshd on port 22: the tests do not use it.
    [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
    command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 \
        || missing+=(openssh-client)
    # The engine tests make TLS certificates for an engine of their own with openssl.
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    # The packaging test builds a .deb: jpackage needs these.
    command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
    command -v fakeroot >/dev/null 2>&1 || missing+=(fakeroot)
    # The tray and single-window tests start the real window on a virtual X display, with trayer as the tray's host.
    command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
    command -v trayer >/dev/null 2>&1 || missing+=(trayer)
    command -v xwininfo >/dev/null 2>&1 && command -v xmessage >/dev/null 2>&1 || missing+=(x11-utils)
    command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
    dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q 'install ok installed' || missing+=(libgtk-3-0)
    if [[ ! -x ./mvnw ]] && ! command -v mvn >/dev/null 2>&1; then
        missing+=(maven)
    fi
    echo ${missing[@]+"${missing[@]}"}
}

install_missing() {
    local missing
    missing="$(missing_packages)"
    [[ -z "$missing" ]] && return 0
    if [[ "$(id -u)" != 0 ]]; then
        die "missing: $missing. Install them as root, then run this again:
    sudo apt-get update && sudo apt-get install -y $missing"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing: $missing, and this machine has no apt-get: install them by hand"
    log "installing $missing"
    apt-get update </dev/null
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing </dev/null
}

# ---------------------------------------------------------------------------------------------------------- the engine

ensure_engine() {
    if "$DOCKER" info >/dev/null 2>&1; then
        log "using the Docker engine at ${DOCKER_HOST:-$DEFAULT_DOCKER_HOST}"
        return 0
    fi
    if [[ -n "${DOCKER_HOST:-}" && "$DOCKER_HOST" != "$DEFAULT_DOCKER_HOST" ]]; then
        die "the Docker engine at DOCKER_HOST=$DOCKER_HOST does not answer; start it, or unset DOCKER_HOST to use a local one"
    fi
    if [[ "$(id -u)" != 0 ]]; then
        die "no Docker engine answers at $DEFAULT_DOCKER_HOST ($("$DOCKER" info 2>&1 | tail -n 1)); start one (e.g. sudo systemctl start docker) or run this as root"
    fi
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        log "starting the Docker engine (systemctl start docker)"
        systemctl start docker || true
    fi
    if ! "$DOCKER" info >/dev/null 2>&1; then
        log "starting a Docker engine (dockerd, log in /tmp/dockerd.log); it stays running after the tests"
        setsid dockerd --host "$DEFAULT_DOCKER_HOST" >/tmp/dockerd.log 2>&1 </dev/null &
    fi
    local waited=0
    until "$DOCKER" info >/dev/null 2>&1; do
        (( waited++ < 60 )) || { tail -n 20 /tmp/dockerd.log >&2 || true; die "the Docker engine did not answer within 30 s"; }
        sleep 0.5
    done
    log "the Docker engine answers"
}

# -------------------------------------------------------------------------------------------------------- the registry

REGISTRY_PID=""
REGISTRY_ADDR=""
readonly REGISTRY_LOG="$ENV_DIR/registry.log"

port_is_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

registry_answers() (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$1" >&3
    read -r -t 2 status <&3 || status=""
    [[ "$status" == *" 200 "* ]]
)

start_registry() {
    mkdir -p "$ENV_DIR/registry-data"
    local attempt port waited
    for attempt in 1 2 3 4 5; do
        port=$(( 20000 + RANDOM % 20000 ))
        port_is_taken "$port" && continue
        cat >"$ENV_DIR/registry.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $ENV_DIR/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
        docker-registry serve "$ENV_DIR/registry.yml" >>"$REGISTRY_LOG" 2>&1 </dev/null &
        REGISTRY_PID=$!
        waited=0
        while kill -0 "$REGISTRY_PID" 2>/dev/null && (( waited++ < 100 )); do
            if registry_answers "$port" 2>/dev/null; then
                REGISTRY_ADDR="127.0.0.1:$port"
                log "registry on $REGISTRY_ADDR (log: $REGISTRY_LOG)"
                return 0
            fi
            sleep 0.1
        done
        stop_registry
        log "the registry did not start on port $port (attempt $attempt)"
    done
    tail -n 20 "$REGISTRY_LOG" >&2 || true
    die "could not start a registry; see $REGISTRY_LOG"
}

stop_registry() {
    [[ -n "$REGISTRY_PID" ]] || return 0
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
    REGISTRY_PID=""
}

# ------------------------------------------------------------------------------------------------------------ fixtures

readonly FIXTURE="redock-fixture/web:$RUN_ID"

build_fixture() {
    local root="$ENV_DIR/fixture-root" applet
    rm -rf "$root"
    mkdir -p "$root/bin" "$root/www" "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    for applet in sh httpd cat sleep wget echo ls true false env kill ps printf test mkdir rm id date hostname grep nc; do
        ln -s busybox "$root/bin/$applet"
    done
    printf 'redock fixture %s\n' "$RUN_ID" >"$root/www/index.html"
    tar -C "$root" -c . | "$DOCKER" import \
        -c 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' \
        -c "LABEL $RUN_LABEL=$RUN_ID" \
        - "$FIXTURE" >/dev/null
    rm -rf "$root"
    log "built $FIXTURE"
}

# ------------------------------------------------------------------------------------------------------------ clean-up

# Reads "<id> <label value>" lines; prints the ids whose value is this run's id or one of its test JVMs' (<run id>-<JVM>).
ours() {
    local id value
    while read -r id value; do
        if [[ "$value" == "$RUN_ID" || "$value" == "$RUN_ID"-* ]]; then printf '%s\n' "$id"; fi
    done
}

# "<id> <run label's value>" for the images that carry the run label (docker images cannot print a label itself).
labelled_images() {
    local ids
    ids="$("$DOCKER" images "$@" --no-trunc --filter "label=$RUN_LABEL" | sort -u)"
    # shellcheck disable=SC2086 # one word per id
    [[ -z "$ids" ]] || "$DOCKER" image inspect --format "{{.Id}} {{index .Config.Labels \"$RUN_LABEL\"}}" $ids 2>/dev/null || true
}

remove_labelled() {
    local filter="label=$RUN_LABEL" value="{{.Label \"$RUN_LABEL\"}}" ids
    ids="$("$DOCKER" ps -a --filter "$filter" --format "{{.ID}} $value" | ours)"
    # shellcheck disable=SC2086 # one word per id
    [[ -z "$ids" ]] || "$DOCKER" rm -f -v $ids >/dev/null || true
    ids="$("$DOCKER" network ls --filter "$filter" --format "{{.ID}} $value" | ours)"
    [[ -z "$ids" ]] || "$DOCKER" network rm $ids >/dev/null || true
    ids="$("$DOCKER" volume ls --filter "$filter" --format "{{.Name}} $value" | ours)"
    [[ -z "$ids" ]] || "$DOCKER" volume rm -f $ids >/dev/null || true
    # Tagged images first (which takes their untagged parents along), then whatever is left.
    ids="$(labelled_images -q | ours | sort -u)"
    [[ -z "$ids" ]] || "$DOCKER" rmi -f $ids >/dev/null 2>&1 || true
    ids="$(labelled_images -a -q | ours | sort -u)"
    [[ -z "$ids" ]] || "$DOCKER" rmi -f $ids >/dev/null 2>&1 || true
}

clean_up() {
    local status=$?
    set +e
    stop_registry
    rm -rf "$ENV_DIR/registry-data"
    if [[ -n "${DOCKER:-}" ]] && "$DOCKER" info >/dev/null 2>&1; then
        remove_labelled
        log "removed what run $RUN_ID left on the engine"
    fi
    exit "$status"
}

# ---------------------------------------------------------------------------------------------------------------- main

install_missing
# Debian's client matches its engine; another docker on the PATH may be newer (it negotiates down, so it works too).
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
readonly DOCKER
ensure_engine

mkdir -p "$ENV_DIR"
trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_registry
build_fixture

if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
log "run $RUN_ID: $MVN -B verify $*"
set +e
"$MVN" -B verify \
    "-Dredock.test.registry=$REGISTRY_ADDR" \
    "-Dredock.test.registry.log=$REGISTRY_LOG" \
    "-Dredock.test.run=$RUN_ID" \
    "-Dredock.test.fixture=$FIXTURE" \
    "$@" </dev/null
status=$?
set -e
log "Maven exited with $status"
exit "$status"
