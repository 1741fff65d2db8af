# The training run behind Redock's class-data-sharing archives: the classes a Redock process loads, listed in the order
# first loaded, for -Xshare:dump. Sourced by packaging/package.sh (the packaged launcher's archive) and
# packaging/jar-archive.sh (the jar's, which `mvn package` makes); it needs their log and die functions.
#
#   train_class_list LIST WORK JAVA JAR -- REDOCK...
#
# REDOCK... is how Redock starts (the launcher, or JAVA -jar JAR); JAVA and JAR run H2's shell, which stores a few
# services for the window to list. WORK gets the logs. The run: the window when Xvfb is here to show it on (else the
# agent), on a data folder of its own, answering typical CLI commands that other processes hand it, then two commands
# run by themselves. Read-only commands only: they list and ping the engine the environment names (none is needed; its
# errors are trained too). Each process writes the classes it loads to a list of its own (-XX:DumpLoadedClassList, given
# in JAVA_TOOL_OPTIONS), and LIST gets them all, each once.

readonly TRAINING_COMMANDS=(
    "--version"
    "service ls"
    "service ls -q"
    "service ls --not-followed"
    "service inspect no-such-service"
    "service run UPPER:case"
    "service --help"
    "engine ls"
    "settings interval"
)
readonly TRAINING_ALONE=(
    "service ls"
    "service bogus"
)

# A port on 127.0.0.1 that nothing listens on now.
free_port() {
    local port tries=0
    while ((tries++ < 100)); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo 7321
}

train_class_list() {
    local list=$1 work=$2 java=$3 jar=$4
    shift 5 # and the --
    local redock=("$@") data lists trainer display="" xvfb="" waited=0 n=0 command
    data=$(mktemp -d)
    lists="$work/classlists"
    rm -rf "$lists"
    mkdir -p "$lists"

    # A few services in the data folder, so that the window's training paints a list with rows (its cells, badges and
    # menus are most of the window's start): the database made and migrated by a command, then rows as the CLI stores
    # them, written with H2's shell. No engine is needed: the window lists what is stored. The command gives the window's
    # API a port of its own: the default one may be a running Redock's, and the training waits for the API.
    REDOCK_HOME=$data "${redock[@]}" settings api --port "$(free_port)" >>"$work/training-commands.log" 2>&1 </dev/null \
        || true
    local i values=""
    for i in $(seq -w 1 20); do
        values+="${values:+, }(RANDOM_UUID(), 'training-$i', 'localhost:5000/training/web:stable', '{\"ports\":[],\"env\":{},"
        values+="\"volumes\":[],\"command\":[],\"restart\":{\"name\":\"no\",\"maxRetries\":0},\"labels\":{},\"networks\":[]}',"
        values+=" 'sha256:$(printf '1%.0s' {1..64})', NOW(), NOW())"
    done
    "$java" -cp "$jar" org.h2.tools.Shell \
        -url "jdbc:h2:file:$data/redock" -user redock -password "$(cat "$data/db-password")" \
        -sql "INSERT INTO service (id, name, image, spec, digest, created_at, updated_at) VALUES $values" \
        >>"$work/training-commands.log" 2>&1 \
        || log "WARNING: no services stored for the training (see $work/training-commands.log): the archive misses the list's rows"

    if command -v Xvfb >/dev/null 2>&1; then
        rm -f "$work/xvfb.display"
        Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp 9>"$work/xvfb.display" >"$work/xvfb.log" 2>&1 &
        xvfb=$!
        while [[ ! -s "$work/xvfb.display" ]] && kill -0 "$xvfb" 2>/dev/null && ((waited++ < 100)); do sleep 0.1; done
        display=":$(head -n 1 "$work/xvfb.display" 2>/dev/null)"
        [[ "$display" != ":" ]] || { kill "$xvfb" 2>/dev/null; xvfb=""; display=""; }
    fi
    # Redock itself in the background ($! is its pid, which the stop signal is for). The window picks its graphics
    # pipeline as a user's start does: on a display without a GPU, as Xvfb's, JavaFX tries OpenGL first and then draws in
    # software, and both sets of classes go into the archive.
    if [[ -n "$display" ]]; then
        log "training the class-data-sharing archive on the window (Xvfb $display)"
        DISPLAY=$display REDOCK_HOME=$data JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$lists/0-window" \
            "${redock[@]}" >"$work/training.log" 2>&1 &
    else
        log "training the class-data-sharing archive on the agent (no Xvfb for the window)"
        REDOCK_HOME=$data JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$lists/0-agent" \
            "${redock[@]}" agent --interval 1h --api-port 0 >"$work/training.log" 2>&1 &
    fi
    trainer=$!
    waited=0
    while [[ ! -f "$data/api-serving" ]] && kill -0 "$trainer" 2>/dev/null && ((waited++ < 1200)); do
        sleep 0.1
    done
    if [[ ! -f "$data/api-serving" ]]; then
        kill "$trainer" 2>/dev/null || true
        [[ -z "$xvfb" ]] || kill "$xvfb" 2>/dev/null || true
        tail -n 30 "$work/training.log" >&2
        rm -rf "$data"
        die "the training run did not serve its data folder within 2 minutes (log: $work/training.log)"
    fi
    for command in "${TRAINING_COMMANDS[@]}"; do
        # shellcheck disable=SC2086 # the words of the command
        REDOCK_HOME=$data JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$lists/$((++n))" "${redock[@]}" $command \
            >>"$work/training-commands.log" 2>&1 </dev/null || true
    done
    # A stop signal quits it as Ctrl-C does; the list is written as the JVM exits.
    kill -TERM "$trainer"
    wait "$trainer" || true
    [[ -z "$xvfb" ]] || kill "$xvfb" 2>/dev/null || true
    for command in "${TRAINING_ALONE[@]}"; do
        # shellcheck disable=SC2086
        REDOCK_HOME=$data JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$lists/$((++n))" "${redock[@]}" $command \
            >>"$work/training-commands.log" 2>&1 </dev/null || true
    done
    rm -rf "$data"
    # Every class once, in the order first loaded.
    cat "$lists"/* | awk '!seen[$0]++' >"$list"
}
