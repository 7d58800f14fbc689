#!/usr/bin/env bash
# bench/fanout.sh: how fast opsctl reaches many hosts, side by side with the tools operators use.
#
# Starts N loopback "hosts" (one OpenSSH sshd per address 127.0.2.1..N, all on one port), logged
# into as a dedicated user 'opsctl-bench' (shell /bin/sh, an empty home) so that no ~/.bashrc is
# paid per command, as no real fleet pays root's pyenv init here. Then, in one run:
#
#   fan-out, N = 10 50 100 (hyperfine, side by side per N):
#     opsctl exec -i inv.yaml -- true                      (java -jar with the launcher's JVM flags and CDS archive), twice:
#                                                          connecting to every host, and with OPSCTL_KEEP_CONNECTIONS=60s
#                                                          (reusing the connections its keeper process holds, as Ansible's
#                                                          ControlPersist=60s does)
#     ansible all -i inv.ini -m command -a true -f 50      (pipelining on, host keys checked, forks 50), twice:
#                                                          warm (reusing its ControlPersist connections) and
#                                                          cold (those closed before each run, untimed)
#     parallel-ssh -h hosts -p N true                      (Debian pssh)
#     xargs -P N ssh -o BatchMode=yes HOST true            (plain OpenSSH)
#   per-step overhead, one host:
#     opsctl run: a runbook of 100 'shell: "true"' steps   (journal fsync'd before and after each step)
#     ansible-playbook: 100 'command: true' tasks
#     OpenSSH with ControlMaster: 100 sequential ssh commands over one master (master set-up included)
#   controller peak RSS of opsctl exec at the largest N (/usr/bin/time -v).
#
# Writes bench/results.md (absolute times and the ratios the project targets) and prints it.
# Needs root (creates the user, starts sshd), openssh-server, ansible-core, pssh, java 17, jq, time;
# hyperfine if present (else a date +%s%N loop). Everything it starts or creates (sshd processes,
# the user, the work directory) is removed on exit, also on Ctrl-C.
#
# Usage: bench/fanout.sh                  # sizes 10 50 100, --warmup 1 --runs 3
#        SIZES="10" RUNS=1 bench/fanout.sh  # a quick look
#        OUT=/tmp/r.md bench/fanout.sh      # somewhere else than bench/results.md
#        HOLD=1 bench/fanout.sh             # set up the hosts and files, print how to use them, wait for Ctrl-C
#        NICE=0 bench/fanout.sh             # at normal priority (default: nice -10, less disturbed by other load)
#
# The launcher's AppCDS class list (cli/opsctl.classes) is recorded by the test suite's ClassListIT,
# which fails when the list is stale; a stale list shows here as a slower start.
set -euo pipefail

SIZES=${SIZES:-"10 50 100"}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
STEPS=${STEPS:-100}
PORT=${PORT:-2222}
BENCH_USER=opsctl-bench
NET=127.0.2

repo=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$repo/bench/results.md}
jar=$repo/target/opsctl.jar
jsa=$repo/target/opsctl.jsa

die() { echo "fanout.sh: $*" >&2; exit 1; }
say() { echo "fanout.sh: $*" >&2; }

[[ $EUID -eq 0 ]] || die "needs root: it creates the user '$BENCH_USER' and starts sshd"
# Every process of the bench (sshd and its sessions included) inherits this priority, so that other
# work on the machine disturbs the figures less; it favours no tool over another.
renice -n "${NICE:--10}" -p $$ >/dev/null
for tool in /usr/sbin/sshd ssh ssh-keygen ansible ansible-playbook parallel-ssh java jq /usr/bin/time; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (apt-get install -y openssh-server ansible-core pssh jq time default-jdk-headless)"
done
max=0
for n in $SIZES; do (( n > max )) && max=$n; done
(( max <= 254 )) || die "at most 254 hosts (one address each in $NET.0/24)"

load0=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/opsctl-bench.XXXXXX)
chmod 700 "$work"
install -d -m 700 "$work/run" # XDG_RUNTIME_DIR of the kept opsctl exec: its keeper's socket
created_user=false

kill_tree() {
    local pid=$1 child
    for child in $(pgrep -P "$pid" 2>/dev/null); do kill_tree "$child"; done
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    set +e
    for f in "$work"/run/opsctl/keeper-*.lock; do
        [[ -s $f ]] && kill "$(cat "$f")" 2>/dev/null
    done
    [[ -S $work/cm.sock ]] && ssh -F "$work/ssh_config" -S "$work/cm.sock" -O exit "$NET.1" 2>/dev/null
    for f in "$work"/sshd.*.pid; do
        [[ -f $f ]] && kill_tree "$(cat "$f")"
    done
    if $created_user; then
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            userdel -r "$BENCH_USER" 2>/dev/null && break
            sleep 0.2
        done
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the bench user: /bin/sh, an empty home, key login only -------------------------------------
if ! id -u "$BENCH_USER" >/dev/null 2>&1; then
    useradd -M -d "/var/tmp/$BENCH_USER" -s /bin/sh "$BENCH_USER"
    created_user=true
fi
usermod -p '*' "$BENCH_USER" # no password, but not locked: sshd (UsePAM no) refuses locked accounts
rm -rf "/var/tmp/$BENCH_USER"
install -d -m 700 -o "$BENCH_USER" -g "$BENCH_USER" "/var/tmp/$BENCH_USER"

# --- keys, sshd, known_hosts, client config -------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$work/id_ed25519"
install -m 644 "$work/id_ed25519.pub" "$work/authorized_keys"
chmod 755 "$work" # sshd reads authorized_keys as the user
mkdir -p /run/sshd
cat >"$work/sshd_config" <<EOF
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
AllowUsers $BENCH_USER
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 200:30:400
MaxSessions 64
LogLevel ERROR
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
hostkey=$(cut -d' ' -f1,2 "$work/host_key.pub")
: >"$work/known_hosts"
for i in $(seq 1 "$max"); do
    /usr/sbin/sshd -f "$work/sshd_config" -o "ListenAddress=$NET.$i:$PORT" -o "PidFile=$work/sshd.$i.pid" -E "$work/sshd.log"
    echo "[$NET.$i]:$PORT $hostkey" >>"$work/known_hosts"
done
for i in $(seq 1 "$max"); do
    for _ in $(seq 1 100); do [[ -s $work/sshd.$i.pid ]] && break; sleep 0.05; done
    [[ -s $work/sshd.$i.pid ]] || die "sshd on $NET.$i:$PORT did not start: $(cat "$work/sshd.log")"
done
cat >"$work/ssh_config" <<EOF
Host $NET.*
    User $BENCH_USER
    Port $PORT
    IdentityFile $work/id_ed25519
    IdentitiesOnly yes
    IdentityAgent none
    UserKnownHostsFile $work/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    LogLevel ERROR
EOF
session=$(ssh -F "$work/ssh_config" "$NET.1" 'echo "$HOME $(readlink /proc/$$/exe)"')
[[ $session == "/var/tmp/$BENCH_USER $(readlink -f /bin/sh)" ]] \
    || die "the bench user's session should be a plain /bin/sh in its own home, not '$session'"

# --- opsctl: the launcher builds the jar and its CDS archive; the same JVM flags are used here -------
unset SSH_AUTH_SOCK
if [[ -x $repo/cli/opsctl ]]; then
    "$repo/cli/opsctl" --help >/dev/null
else
    [[ -f $jar ]] || (cd "$repo" && mvn -B -q -DskipTests package) >&2
fi
[[ -f $jar ]] || die "no $jar"
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off)
if [[ -x $repo/cli/opsctl ]]; then
    # keep in step with the launcher: its flags are the ones on its 'opts=(' line
    read -r -a jvm <<<"$(sed -n 's/^opts=(\(.*\))$/\1/p' "$repo/cli/opsctl")"
fi
[[ -f $jsa ]] && jvm+=(-XX:SharedArchiveFile="$jsa")
# opsctl reads ~/.ssh of user.home: a controller home of its own, so root's ~/.ssh plays no part
ctl=$work/controller
install -d -m 700 "$ctl" "$ctl/.ssh"
cp "$work/known_hosts" "$ctl/.ssh/known_hosts"
opsctl="java ${jvm[*]} -Duser.home=$ctl -jar $jar"

# --- inventories per N ----------------------------------------------------------------------------
for n in $SIZES 1; do
    {
        echo "apiVersion: opsctl/v1"
        echo "kind: Inventory"
        echo "hosts:"
        for i in $(seq 1 "$n"); do
            printf '  h%03d: {address: %s.%d, port: %d, user: %s, identity_file: %s}\n' "$i" "$NET" "$i" "$PORT" "$BENCH_USER" "$work/id_ed25519"
        done
    } >"$work/inv.$n.yaml"
    {
        echo "[bench]"
        for i in $(seq 1 "$n"); do printf 'h%03d ansible_host=%s.%d\n' "$i" "$NET" "$i"; done
        echo "[all:vars]"
        echo "ansible_port=$PORT"
        echo "ansible_user=$BENCH_USER"
        echo "ansible_ssh_private_key_file=$work/id_ed25519"
        echo "ansible_python_interpreter=/usr/bin/python3"
    } >"$work/inv.$n.ini"
    for i in $(seq 1 "$n"); do echo "$NET.$i"; done >"$work/hosts.$n"
done
cat >"$work/ansible.cfg" <<EOF
[defaults]
forks = 50
host_key_checking = True
gathering = explicit
retry_files_enabled = False
local_tmp = $work/ansible-local
[ssh_connection]
pipelining = True
ssh_args = -F $work/ssh_config -o ControlMaster=auto -o ControlPersist=60s
control_path_dir = $work/ansible-cp
EOF
export ANSIBLE_CONFIG=$work/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=False
# Closes Ansible's persistent connections (ControlPersist), so that its next run connects afresh as
# opsctl, parallel-ssh and ssh always do: run before each timed 'ansible-cold' run, not timed itself.
cat >"$work/ansible-close.sh" <<EOF
#!/bin/sh
for s in $work/ansible-cp/*; do
    [ -S "\$s" ] && ssh -F $work/ssh_config -o ControlPath="\$s" -O exit x >/dev/null 2>&1
done
exit 0
EOF
chmod 755 "$work/ansible-close.sh"

# --- per-step workloads -----------------------------------------------------------------------------
{
    echo "apiVersion: opsctl/v1"
    echo "kind: Runbook"
    echo "metadata: {name: steps}"
    echo "targets: all"
    echo "steps:"
    for i in $(seq 1 "$STEPS"); do echo "  - {id: s$i, shell: \"true\"}"; done
} >"$work/steps.yaml"
{
    echo "- hosts: all"
    echo "  gather_facts: false"
    echo "  tasks:"
    for i in $(seq 1 "$STEPS"); do echo "    - command: 'true'"; done
} >"$work/steps-playbook.yaml"
cat >"$work/controlmaster.sh" <<EOF
#!/bin/sh
set -e
ssh -F $work/ssh_config -o ControlMaster=yes -o ControlPath=$work/cm.sock -o ControlPersist=no -fN $NET.1
i=0
while [ \$i -lt $STEPS ]; do ssh -F $work/ssh_config -o ControlPath=$work/cm.sock $NET.1 true; i=\$((i+1)); done
ssh -F $work/ssh_config -o ControlPath=$work/cm.sock -O exit $NET.1 2>/dev/null
EOF
chmod 755 "$work/controlmaster.sh"

if [[ -n ${HOLD:-} ]]; then
    say "hosts are up; work directory $work; for example:"
    say "  $opsctl exec -i $work/inv.$max.yaml --known-hosts $work/known_hosts -- true"
    say "  ssh -F $work/ssh_config $NET.1 true"
    say "Ctrl-C (or kill $$) ends it and cleans up"
    while true; do sleep 3600 & wait $!; done # wait, not sleep: a signal runs the trap at once
fi

fanout_cmd() { # tool n
    case $1 in
        opsctl) echo "$opsctl exec -i $work/inv.$2.yaml --known-hosts $work/known_hosts -- true" ;;
        opsctl-kept) echo "XDG_RUNTIME_DIR=$work/run OPSCTL_KEEP_CONNECTIONS=60s $opsctl exec -i $work/inv.$2.yaml --known-hosts $work/known_hosts -- true" ;;
        ansible) echo "ansible all -i $work/inv.$2.ini -m command -a true -f 50" ;;
        pssh) echo "parallel-ssh -h $work/hosts.$2 -p $2 -t 60 -x '-F $work/ssh_config' true" ;;
        xargs) echo "xargs -P $2 -I{} ssh -F $work/ssh_config {} true < $work/hosts.$2" ;;
    esac
}
steps_cmd() {
    case $1 in
        opsctl) echo "$opsctl run $work/steps.yaml -i $work/inv.1.yaml --yes --state-dir $work/state" ;;
        ansible) echo "ansible-playbook -i $work/inv.1.ini $work/steps-playbook.yaml" ;;
        controlmaster) echo "$work/controlmaster.sh" ;;
    esac
}

# opsctl shell keeps its connections between commands (ControlPersist's counterpart): its first exec
# connects (not timed), then SHELL_CMDS 'time exec' lines reuse them; prints the mean of those, in s.
SHELL_CMDS=${SHELL_CMDS:-10}
shell_warm() { # n
    local cmd="exec -i $work/inv.$1.yaml --known-hosts $work/known_hosts -- true" out
    out=$( { echo "$cmd"; for _ in $(seq 1 "$SHELL_CMDS"); do echo "time $cmd"; done; } \
        | $opsctl shell --state-dir "$work/state" 2>&1 ) || die "opsctl shell failed: $(tail -n 20 <<<"$out")"
    [[ $(grep -c "^$1 hosts: $1 ok" <<<"$out") -eq $((SHELL_CMDS + 1)) ]] \
        || die "opsctl shell did not succeed on $1 hosts every time: $(tail -n 20 <<<"$out")"
    grep -o 'time: [0-9.]*s' <<<"$out" | awk '{ s += $2 + 0 } END { printf "%.4f", s / NR }'
}

# Every command must succeed on every host before it is timed: a fast failure is no result.
check() { # label command expected-pattern
    local log=$work/check.log
    if ! bash -c "$2" >"$log" 2>&1; then
        die "$1 failed: $(tail -n 20 "$log")"
    fi
    if [[ -n $3 ]] && ! grep -Eq "$3" "$log"; then
        die "$1 did not report success on every host: $(tail -n 20 "$log")"
    fi
}

# measure NAME CMD... -> $work/NAME.json with .results[].{command,mean,stddev,min,max}
# A label with an entry in PREPARE gets that command run before each of its runs, untimed.
declare -A PREPARE=([ansible-cold]="$work/ansible-close.sh")
measure() {
    local name=$1; shift
    local labels=() cmds=() a
    for a in "$@"; do labels+=("${a%%=*}"); cmds+=("${a#*=}"); done
    if command -v hyperfine >/dev/null; then
        local args=() prep=()
        for i in "${!cmds[@]}"; do
            args+=(-n "${labels[$i]}" "${cmds[$i]}")
            prep+=(--prepare "${PREPARE[${labels[$i]}]:-true}")
        done
        hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic "${prep[@]}" --export-json "$work/$name.json" "${args[@]}" >&2
    else
        local json='{"results":[]}' t0 t1 times
        for i in "${!cmds[@]}"; do
            local prepare=${PREPARE[${labels[$i]}]:-true}
            for _ in $(seq 1 "$WARMUP"); do bash -c "$prepare; ${cmds[$i]}" >/dev/null 2>&1; done
            times=()
            for _ in $(seq 1 "$RUNS"); do
                bash -c "$prepare" >/dev/null 2>&1
                t0=$(date +%s%N); bash -c "${cmds[$i]}" >/dev/null 2>&1; t1=$(date +%s%N)
                times+=("$(( (t1 - t0) / 1000 ))")
            done
            json=$(jq --arg c "${labels[$i]}" --argjson t "[$(IFS=,; echo "${times[*]}")]" \
                '.results += [{command: $c, mean: (($t | add) / ($t | length) / 1e6), stddev: 0,
                  min: (($t | min) / 1e6), max: (($t | max) / 1e6)}]' <<<"$json")
        done
        echo "$json" >"$work/$name.json"
    fi
}
mean() { jq -r --arg c "$2" '.results[] | select(.command == $c) | .mean' "$work/$1.json"; }
# user + system CPU of the command and its children (hyperfine only); tells the tools apart even on a busy machine
cpu() { jq -r --arg c "$2" '.results[] | select(.command == $c) | if .user then "\(.user + .system)" else "" end' "$work/$1.json"; }

# --- fan-out ----------------------------------------------------------------------------------------
for n in $SIZES; do
    say "fan-out to $n hosts: checking each tool once"
    check "opsctl exec (N=$n)" "$(fanout_cmd opsctl "$n")" "$n ok"
    check "opsctl exec, kept (N=$n)" "$(fanout_cmd opsctl-kept "$n")" "$n ok"
    grep -q warning "$work/check.log" && die "opsctl exec did not keep its connections: $(cat "$work/check.log")"
    check "ansible (N=$n)" "$(fanout_cmd ansible "$n")" ""
    [[ $(grep -c "CHANGED" "$work/check.log") -eq $n ]] || die "ansible did not succeed on $n hosts: $(tail "$work/check.log")"
    check "parallel-ssh (N=$n)" "$(fanout_cmd pssh "$n")" ""
    [[ $(grep -c "SUCCESS" "$work/check.log") -eq $n ]] || die "parallel-ssh did not succeed on $n hosts"
    check "xargs ssh (N=$n)" "$(fanout_cmd xargs "$n")" ""
    say "fan-out to $n hosts: timing"
    measure "fanout.$n" "opsctl=$(fanout_cmd opsctl "$n")" "opsctl-kept=$(fanout_cmd opsctl-kept "$n")" "parallel-ssh=$(fanout_cmd pssh "$n")" \
        "xargs-ssh=$(fanout_cmd xargs "$n")" "ansible=$(fanout_cmd ansible "$n")" "ansible-cold=$(fanout_cmd ansible "$n")"
    say "fan-out to $n hosts: opsctl shell, $SHELL_CMDS commands on kept connections"
    shell_warm "$n" >"$work/shell.$n"
done

say "controller memory: opsctl exec on $max hosts"
/usr/bin/time -v -o "$work/rss.txt" bash -c "$(fanout_cmd opsctl "$max") >/dev/null"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/rss.txt")
/usr/bin/time -v -o "$work/rss-steps.txt" bash -c "$(steps_cmd opsctl) >/dev/null 2>&1"
rss_steps_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/rss-steps.txt")

# --- per-step overhead ------------------------------------------------------------------------------
say "$STEPS steps on one host: checking each tool once"
check "opsctl run" "$(steps_cmd opsctl)" ""
check "ansible-playbook" "$(steps_cmd ansible)" "ok=$STEPS .*failed=0"
check "ssh ControlMaster" "$(steps_cmd controlmaster)" ""
say "$STEPS steps on one host: timing (ansible-playbook takes a while)"
measure steps "opsctl=$(steps_cmd opsctl)" "openssh-controlmaster=$(steps_cmd controlmaster)" \
    "ansible-playbook=$(steps_cmd ansible)"

# --- report -----------------------------------------------------------------------------------------
fmt() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
fmtcpu() { [[ -n $1 ]] && awk -v s="$1" 'BEGIN { printf "%.2f s", s }' || echo "n/a"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "met" : "MISSED" }'; }
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
{
    echo "# opsctl fan-out and per-step benchmark"
    echo
    echo "Produced by \`bench/fanout.sh\` on $(date -u +%Y-%m-%d) (UTC): $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
    echo "$(uname -sr), $(java -version 2>&1 | head -n1), $(ssh -V 2>&1), $(ansible --version | head -n1), $(parallel-ssh --version 2>&1 | head -n1 | sed 's/^/pssh /')."
    echo "Hosts: one sshd per address $NET.1..N on port $PORT, user '$BENCH_USER' with /bin/sh and an empty home."
    echo "Load average when it started: $load0, when it ended: $(cut -d' ' -f1-3 /proc/loadavg) (the bench runs at nice ${NICE:--10})."
    echo "Wall time, mean of $RUNS runs after $WARMUP warm-up ($(command -v hyperfine >/dev/null && hyperfine --version || echo 'date +%s%N loop')); all tools in one run."
    echo
    echo "## Fan-out: \`true\` on N hosts"
    echo
    echo "Ansible twice: *warm* reuses the SSH connections its previous run left open (ControlPersist=60s,"
    echo "its default), so it opens none; *cold* has them closed before each run, so it connects to every host,"
    echo "as opsctl, parallel-ssh and ssh do on every run (and Ansible does on the first run after a minute idle)."
    echo
    echo "opsctl three times: \`opsctl exec\`, a new process that connects to every host; *kept*, the same command"
    echo "with \`OPSCTL_KEEP_CONNECTIONS=60s\`, whose keeper process holds the connections between runs as Ansible's"
    echo "ControlPersist=60s does (a new opsctl process each run, as for Ansible); and *shell*, \`exec\` typed in"
    echo "\`opsctl shell\`, which keeps its connections in its own process (mean of $SHELL_CMDS commands after the first,"
    echo "timed by the shell's \`time\`: no JVM start)."
    echo
    echo "| N | opsctl exec | opsctl exec, kept | opsctl shell | parallel-ssh -p N | xargs -P N ssh | ansible -f 50, cold | ansible -f 50, warm | opsctl / pssh | ansible cold / opsctl exec | ansible warm / opsctl exec, kept | ansible warm / opsctl exec |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in $SIZES; do
        o=$(mean "fanout.$n" opsctl); k=$(mean "fanout.$n" opsctl-kept); p=$(mean "fanout.$n" parallel-ssh); x=$(mean "fanout.$n" xargs-ssh)
        a=$(mean "fanout.$n" ansible); ac=$(mean "fanout.$n" ansible-cold); w=$(cat "$work/shell.$n")
        echo "| $n | $(fmt "$o") | $(fmt "$k") | $(fmt "$w") | $(fmt "$p") | $(fmt "$x") | $(fmt "$ac") | $(fmt "$a") | $(ratio "$o" "$p") | $(ratio "$ac" "$o") | $(ratio "$a" "$k") | $(ratio "$a" "$o") |"
    done
    echo
    echo "Controller CPU (user + system, the tool and its child processes; the hosts' sshd not included):"
    echo
    echo "| N | opsctl exec | opsctl exec, kept (client only) | parallel-ssh | xargs ssh | ansible, cold | ansible, warm |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    for n in $SIZES; do
        echo "| $n | $(fmtcpu "$(cpu "fanout.$n" opsctl)") | $(fmtcpu "$(cpu "fanout.$n" opsctl-kept)") | $(fmtcpu "$(cpu "fanout.$n" parallel-ssh)") | $(fmtcpu "$(cpu "fanout.$n" xargs-ssh)") | $(fmtcpu "$(cpu "fanout.$n" ansible-cold)") | $(fmtcpu "$(cpu "fanout.$n" ansible)") |"
    done
    echo
    echo "## Per-step overhead: $STEPS steps of \`true\` on one host"
    echo
    so=$(mean steps opsctl); sc=$(mean steps openssh-controlmaster); sa=$(mean steps ansible-playbook)
    echo "| opsctl run (incl. JVM start, journal) | OpenSSH ControlMaster | ansible-playbook | ansible / opsctl | opsctl / ControlMaster |"
    echo "|---:|---:|---:|---:|---:|"
    echo "| $(fmt "$so") | $(fmt "$sc") | $(fmt "$sa") | $(ratio "$sa" "$so") | $(ratio "$so" "$sc") |"
    echo
    echo "## Targets"
    echo
    o=$(mean "fanout.$max" opsctl); p=$(mean "fanout.$max" parallel-ssh); a=$(mean "fanout.$max" ansible)
    ac=$(mean "fanout.$max" ansible-cold)
    w=$(cat "$work/shell.$max"); k=$(mean "fanout.$max" opsctl-kept)
    r1=$(ratio "$o" "$p"); r2=$(ratio "$ac" "$o"); r3=$(ratio "$a" "$o"); r4=$(ratio "$a" "$w"); r5=$(ratio "$a" "$k")
    echo "| target | measured | |"
    echo "|---|---:|---|"
    echo "| fan-out at N=$max no slower than parallel-ssh (<= 1.0, aim 0.8) | $r1 | $(verdict "$r1" "<=" 1.0) |"
    echo "| fan-out at N=$max at least 10x faster than Ansible, both connecting (cold) | $r2 | $(verdict "$r2" ">=" 10) |"
    echo "| fan-out at N=$max at least 10x faster than Ansible, both reusing open connections (warm: opsctl exec kept, ControlPersist) | $r5 | $(verdict "$r5" ">=" 10) |"
    echo "| the same, opsctl in its shell (no JVM start) | $r4 | $(verdict "$r4" ">=" 10) |"
    echo "| fan-out at N=$max, Ansible reusing open connections (warm) against opsctl connecting to every host | $r3 | $(verdict "$r3" ">=" 10) |"
    echo "| $STEPS steps on one host within 1.0 s wall incl. JVM start | $(fmt "$so") | $(verdict "$so" "<=" 1.0) |"
    echo "| controller peak RSS at N=$max under 200 MiB | $(awk -v k="$rss_kb" 'BEGIN { printf "%.0f MiB", k / 1024 }') | $(verdict "$rss_kb" "<=" 204800) |"
    echo
    echo "Peak RSS of \`opsctl run\` with $STEPS steps: $(awk -v k="$rss_steps_kb" 'BEGIN { printf "%.0f MiB", k / 1024 }')."
    echo "opsctl runs as \`java ${jvm[*]} -jar target/opsctl.jar\` (the launcher's flags and CDS archive, without the launcher's staleness check)."
    echo "Ansible keeps its default ControlPersist=60s: its warm runs reuse the previous run's connections, its cold runs"
    echo "have them closed first (\`ssh -O exit\` on each control socket, hyperfine --prepare, not timed)."
} >"$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
