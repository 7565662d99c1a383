# shellcheck shell=bash
# Project-local PostgreSQL 15 and RabbitMQ for ./rrm and the tests. Source this file; it defines:
#
#   infra_up              install what is missing (apt, as root), start both servers, create the
#                         `rrm` role/database and the `rrm` RabbitMQ user/vhost, and the customs system's
#                         user `customs-feed` with its queue `customs.feed` (_rmq_customs_feed). Idempotent:
#                         a second run, or a run after a crash (stale pid files), just brings things up.
#   infra_down            stop both servers (bounded waits). Idempotent.
#   infra_status          say whether each server runs, and where. Returns 1 unless both run.
#   infra_service_conn ROLE
#                         the connection string of a service's database role (rrm_petition, …).
#   infra_env             export RRM_PG_CONN, RRM_AMQP_URL, RRM_AMQP_BASE, RRM_MGMT_URL,
#                         RRM_MGMT_USER, RRM_MGMT_PASSWORD, RRM_CUSTOMS_AMQP_URL (runs in the caller's shell).
#   grpc_health PORT|HOST:PORT [SERVICE]
#                         0 when grpc.health.v1.Health/Check answers SERVING over h2c (curl).
#                         SERVICE "" is liveness, "readiness" the services' readiness check (the
#                         database), "broker" their connection to RabbitMQ.
#
# Everything lives under $RRM_HOME (default <repo>/.rrm) on dedicated loopback ports, so a system-wide
# PostgreSQL (5432) or RabbitMQ (5672/25672, ~rabbitmq/.erlang.cookie) is never touched:
#   RRM_PG_PORT (55432), RRM_AMQP_PORT (55672), RRM_MGMT_PORT (55673), RRM_AMQP_DIST_PORT (55674).
# Tunables: RRM_INFRA_WAIT (seconds per wait, 60), RRM_PG_MAX_CONNECTIONS (300), RRM_PG_BIN.
#
# infra_up/infra_down/infra_status/grpc_health run in a subshell (note the `( … )` bodies): they may
# `exit 1` on an error without killing an interactive shell that sourced this file, and they return
# 1 to the caller, which under `set -e` (as in ./rrm) ends the script. Inside, they turn `set -e` off
# and check every step explicitly: an inherited `set -e` would end them at the first harmless
# non-zero status, and bash ignores it anyway when the caller writes `if infra_up` or `|| …`.
# Messages start with "rrm:"; errors go to stderr. See docs/adr/0001-local-infrastructure.md.

_RRM_INFRA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ------------------------------------------------------------------ settings and small helpers

# Read the settings at call time (not at source time), so a caller may change a port after sourcing.
_infra_settings() {
  RRM_HOME=${RRM_HOME:-$_RRM_INFRA_REPO/.rrm}
  PG_PORT=${RRM_PG_PORT:-55432}
  AMQP_PORT=${RRM_AMQP_PORT:-55672}
  MGMT_PORT=${RRM_MGMT_PORT:-55673}
  DIST_PORT=${RRM_AMQP_DIST_PORT:-55674}
  WAIT=${RRM_INFRA_WAIT:-60}
  PG_MAX_CONNECTIONS=${RRM_PG_MAX_CONNECTIONS:-300}
  PG_BIN=${RRM_PG_BIN:-/usr/lib/postgresql/15/bin}
  RMQ_BIN=/usr/lib/rabbitmq/bin # the real scripts; /usr/sbin/rabbitmq* are wrappers that cd to /var/lib/rabbitmq
  PG_DIR=$RRM_HOME/pg           # data area: data/ (the cluster), the socket, postgres.log
  RMQ_DIR=$RRM_HOME/rabbitmq    # everything of the node, owned by the rabbitmq account
  RMQ_NODE=rrm-$AMQP_PORT@localhost
  RMQ_LOG=$RMQ_DIR/log/$RMQ_NODE.log
}

_say() { echo "rrm: $*"; }
_warn() { echo "rrm: $*" >&2; }
_die() { echo "rrm: $*" >&2; exit 1; }
_is_root() { [ "$(id -u)" -eq 0 ]; }

# PID runs and is not a zombie. `kill -0` is not enough: it succeeds on a zombie, and on these
# machines pid 1 does not always reap orphaned daemons at once, so a killed postmaster or beam can
# linger as a zombie with its pid still "alive".
_alive() {
  local state
  [[ ${1-} =~ ^[0-9]+$ ]] || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# True when something accepts TCP connections on 127.0.0.1:PORT (also true for a 0.0.0.0 listener).
_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# "beam.smp (pid 123)" for whoever listens on PORT, when ss can tell; empty otherwise.
_port_owner() {
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\"\([^\"]*\)\",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1
}

# The default ports lie in Linux's ephemeral range (32768-60999), from which the kernel picks the local
# port of every outgoing connection: a client that happens to get 55432 while PostgreSQL starts makes
# its bind fail ("Address already in use") although nothing listens there (seen once in CI). As root,
# reserve our ports so the kernel never hands them out (added to the list, never replacing it); where
# the setting is read-only, the starts below retry such a transient collision instead.
_reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports current want p
  _is_root && [ -w "$f" ] || return 0
  current=$(cat "$f" 2>/dev/null) || return 0
  want="$PG_PORT,$AMQP_PORT,$MGMT_PORT,$DIST_PORT-$((DIST_PORT + 10))"
  for p in $PG_PORT $AMQP_PORT $MGMT_PORT; do
    _port_reserved "$p" "$current" || { echo "${current:+$current,}$want" >"$f" 2>/dev/null; return 0; }
  done
}

_port_reserved() { # PORT LIST — LIST as the kernel prints it: "a,b-c,…"
  local range
  for range in ${2//,/ }; do
    [ "$1" -ge "${range%-*}" ] && [ "$1" -le "${range#*-}" ] && return 0
  done
  return 1
}

# Waits (at most 75 s: Linux keeps a closed connection in TIME-WAIT for 60 s) until no socket at all
# uses PORT as its local port; false when it stays in use or ss is missing.
_await_port_idle() { # PORT
  command -v ss >/dev/null || return 1
  local deadline=$((SECONDS + 75))
  [ -z "$(ss -Htan "sport = :$1")" ] && return 0
  _say "port $1 is held by another program's connection (not a listener); waiting until it is free"
  while [ -n "$(ss -Htan "sport = :$1")" ]; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 1
  done
}

# Fails with a message naming the port and the variable that moves it.
_require_free_port() { # PORT VARIABLE WHAT
  _port_open "$1" || return 0
  local owner; owner=$(_port_owner "$1")
  _die "port $1 ($3) is already in use by ${owner:-another program}, which is not this project's instance;" \
    "choose another port with $2=<port> (or stop that program)"
}

# Runs a command as the account that owns a server's files (postgres or rabbitmq) when we are root:
# initdb/pg_ctl refuse root, and rabbitmq-server would otherwise create root-owned files.
_as() { local user=$1; shift; if _is_root; then runuser -u "$user" -- "$@"; else "$@"; fi; }

_tail_log() { # FILE...
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "rrm: ---- last lines of $f ----" >&2
    tail -n 25 "$f" >&2
  done
}

# One lock per $RRM_HOME: two concurrent `./rrm test` runs must not both initdb or start a node.
_infra_lock() {
  exec 9>"$RRM_HOME/.infra.lock"
  flock -w "$((WAIT * 2))" 9 || _die "another infra_up/infra_down holds $RRM_HOME/.infra.lock for too long"
}

# ------------------------------------------------------------------ packages

_policy_rc_cleanup() { [ "${_RRM_POLICY_RC:-}" = 1 ] && rm -f /usr/sbin/policy-rc.d; _RRM_POLICY_RC=0; }

_apt_install() { # PACKAGE...
  _is_root || _die "missing: $* — install it (sudo apt-get install $*) or run as root so this script can"
  command -v apt-get >/dev/null || _die "missing: $* — and apt-get is not available to install it"
  mkdir -p "$RRM_HOME"
  local log=$RRM_HOME/apt.log
  _say "installing $* with apt-get (log: $log)"
  # The packages' maintainer scripts would start the system-wide services (a RabbitMQ node on
  # 5672/25672, a cluster on 5432). A policy-rc.d that answers 101 ("action forbidden") stops that;
  # we only add ours when the machine has none, and remove it afterwards.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from %s/scripts/infra.sh\nexit 101\n' "$_RRM_INFRA_REPO" >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    _RRM_POLICY_RC=1
    trap _policy_rc_cleanup EXIT
  fi
  # A fresh machine has empty package lists: `apt-cache policy` then shows no candidate.
  if apt-cache policy "$@" 2>/dev/null | grep -q 'Candidate: (none)' || [ -z "$(apt-cache policy "$@" 2>/dev/null)" ]; then
    _say "running apt-get update first (no install candidate in the package lists)"
    apt-get update >>"$log" 2>&1 || { _tail_log "$log"; _policy_rc_cleanup; _die "apt-get update failed"; }
  fi
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=120 "$@")
  if ! "${install[@]}" >>"$log" 2>&1; then
    # Stale lists give 404s: refresh once and retry.
    if ! { apt-get update >>"$log" 2>&1 && "${install[@]}" >>"$log" 2>&1; }; then
      _tail_log "$log"; _policy_rc_cleanup; _die "apt-get install $* failed (log: $log)"
    fi
  fi
  _policy_rc_cleanup
}

_ensure_packages() {
  local missing=()
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  [ -x "$RMQ_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3) # ./rrm test reads the TRX files with it
  [ ${#missing[@]} -eq 0 ] || _apt_install "${missing[@]}"
  [ -x "$PG_BIN/initdb" ] || _die "PostgreSQL 15 binaries not found in $PG_BIN (set RRM_PG_BIN to another bin folder)"
  [ -x "$RMQ_BIN/rabbitmq-server" ] || _die "RabbitMQ not found in $RMQ_BIN after installing rabbitmq-server"
}

# The servers run as postgres and rabbitmq, which must be able to reach $RRM_HOME. A checkout under
# a private folder (mktemp -d makes 0700) blocks them: grant search permission (x, not read) on each
# such ancestor, and say so.
_ensure_reachable() {
  _is_root || return 0
  local dir=$RRM_HOME user
  while [ "$dir" != / ]; do
    for user in postgres rabbitmq; do
      # Only folders that lack the bit for others: a 0755 folder below a 0700 one is not the problem.
      if [[ $(stat -c %A "$dir") != *x ]] && ! runuser -u "$user" -- test -x "$dir" 2>/dev/null; then
        chmod o+x "$dir" && _say "granted search permission on $dir so the database and broker accounts can reach $RRM_HOME"
        break
      fi
    done
    dir=$(dirname "$dir")
  done
}

# ------------------------------------------------------------------ PostgreSQL

_pg_ctl() { (cd "$PG_DIR" && _as postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" "$@"); }

# Live (non-zombie) processes of the postgres account whose working folder is our data folder: a
# postmaster and its children chdir there. Lists only; nothing is killed by name.
_pg_dir_pids() {
  local data pid; data=$(readlink -f "$PG_DIR/data" 2>/dev/null) || return 0
  for pid in $(pgrep -u postgres 2>/dev/null); do
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$data" ] && _alive "$pid" && echo "$pid"
  done
  return 0
}

# Not `pg_ctl status`, which trusts kill -0 and so calls a zombie postmaster running.
_pg_running() {
  local pid; pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)
  [[ $pid =~ ^[0-9]+$ ]] && _alive "$pid" \
    && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$PG_DIR/data")" ]
}

# Line 4 of postmaster.pid is the port the running server listens on.
_pg_running_port() { sed -n 4p "$PG_DIR/data/postmaster.pid" 2>/dev/null; }

# Through the socket as the bootstrap superuser; `local` connections are trusted (see pg_hba below).
_pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U rrm -d postgres "$@"; }

# What the application does: TCP to 127.0.0.1 with password rrm (scram-sha-256).
_pg_login_ok() {
  PGCONNECT_TIMEOUT=5 psql -X -At "host=127.0.0.1 port=$PG_PORT user=rrm password=rrm dbname=rrm" \
    -c 'select 1' 2>/dev/null | grep -qx 1
}

_pg_init() {
  mkdir -p "$PG_DIR" || _die "cannot create $PG_DIR"
  _is_root && chown postgres: "$PG_DIR"
  [ -f "$PG_DIR/data/PG_VERSION" ] && return 0
  _say "creating the PostgreSQL cluster in $PG_DIR/data"
  rm -rf "$PG_DIR/data" # a half-made folder from an interrupted initdb
  local pw=$PG_DIR/.initdb-pw
  printf 'rrm\n' >"$pw"
  chmod 600 "$pw"
  _is_root && chown postgres: "$pw"
  # The bootstrap superuser is `rrm` (there is no `postgres` role in this cluster).
  (cd "$PG_DIR" && _as postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U rrm --pwfile="$pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale) >"$PG_DIR/initdb.log" 2>&1 \
    || { rm -f "$pw"; _tail_log "$PG_DIR/initdb.log"; _die "initdb failed (log: $PG_DIR/initdb.log)"; }
  rm -f "$pw"
}

# Writes the settings this script owns; returns 0 when a file changed (a running server needs a reload).
_pg_configure() {
  local data=$PG_DIR/data changed=1 new
  # fsync and friends are off: a disposable development/test instance, and a process crash (what
  # the tests simulate) loses nothing without them — only an OS crash would.
  new=$(cat <<CONF
# Written by scripts/infra.sh on every infra_up; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
unix_socket_permissions = 0700
max_connections = $PG_MAX_CONNECTIONS
password_encryption = scram-sha-256
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
)
  if [ "$(cat "$data/rrm.conf" 2>/dev/null)" != "$new" ]; then printf '%s\n' "$new" >"$data/rrm.conf"; changed=0; fi
  # The socket (mode 0700: root and postgres only) is trusted; TCP needs the password.
  new=$(printf '%s\n' '# Written by scripts/infra.sh.' 'local all all trust' 'host all all 127.0.0.1/32 scram-sha-256')
  if [ "$(cat "$data/pg_hba.conf" 2>/dev/null)" != "$new" ]; then printf '%s\n' "$new" >"$data/pg_hba.conf"; changed=0; fi
  grep -qx "include_if_exists = 'rrm.conf'" "$data/postgresql.conf" \
    || { printf "\ninclude_if_exists = 'rrm.conf'\n" >>"$data/postgresql.conf"; changed=0; }
  _is_root && chown postgres: "$data/rrm.conf" "$data/pg_hba.conf" "$data/postgresql.conf"
  return $changed
}

# Before anything starts: fail on a port held by someone else, or on our server on another port.
_pg_check_ports() {
  if _pg_running; then
    local running; running=$(_pg_running_port)
    [ "$running" = "$PG_PORT" ] || _die "the PostgreSQL of $RRM_HOME is running on port $running, not RRM_PG_PORT=$PG_PORT;" \
      "stop it with infra_down (same RRM_PG_PORT as when it started) and start again"
  else
    _require_free_port "$PG_PORT" RRM_PG_PORT PostgreSQL
  fi
}

# After a crash (kill -9): the postmaster's children notice its death within a moment; wait for
# them (bounded). A postmaster.pid naming a zombie or a recycled pid would make the new postmaster
# refuse to start ("lock file already exists"), so remove it once nothing uses the folder. A truly
# dead pid is left to PostgreSQL, which then also frees the old shared memory itself.
_pg_clear_crash() {
  local deadline=$((SECONDS + WAIT)) pids pid
  while pids=$(_pg_dir_pids); [ -n "$pids" ]; do
    [ $SECONDS -lt "$deadline" ] || _die "processes of an earlier PostgreSQL still use $PG_DIR/data (pids $(echo "$pids" | tr '\n' ' ')); stop them"
    sleep 0.2
  done
  pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    _say "removing the stale $PG_DIR/data/postmaster.pid (pid $pid is not our postmaster)"
    rm -f "$PG_DIR/data/postmaster.pid"
  fi
}

_pg_start() {
  local log=$PG_DIR/postgres.log deadline=$((SECONDS + WAIT))
  touch "$log" && { _is_root && chown postgres: "$log"; }
  _pg_clear_crash
  # After a kill -9 the postmaster's children notice its death within a moment, and until then
  # the new postmaster refuses to start ("pre-existing shared memory block is still in use"):
  # retry that case only, within the same bounded wait.
  # 9>&-: the server must not inherit the lock's descriptor, or it would hold the lock forever.
  until _pg_ctl -l "$log" -w -t "$WAIT" start >/dev/null 2>&1 9>&-; do
    _pg_running && break
    if [ $SECONDS -lt "$deadline" ] && tail -n 5 "$log" | grep -q 'shared memory block is still in use\|lock file .* already exists'; then
      sleep 1; continue
    fi
    # The port held by an outgoing connection (see _reserve_ports), not by a listener: it frees soon.
    if [ $SECONDS -lt $((deadline + 75)) ] && tail -n 5 "$log" | grep -q 'Address already in use' \
      && ! _port_open "$PG_PORT" && _await_port_idle "$PG_PORT"; then
      continue
    fi
    _tail_log "$log"
    _die "PostgreSQL did not start on 127.0.0.1:$PG_PORT within ${WAIT} s (log: $log)"
  done
}

_pg_up() {
  if _pg_running; then
    if _pg_configure; then _pg_ctl reload >/dev/null 2>&1 || true; fi
  else
    _pg_configure || true
    _pg_start
  fi
  local max; max=$(_pg_admin -At -c 'show max_connections' 2>/dev/null || true)
  [ -z "$max" ] || [ "$max" = "$PG_MAX_CONNECTIONS" ] \
    || _warn "PostgreSQL runs with max_connections=$max; infra_down then infra_up applies $PG_MAX_CONNECTIONS"
  if ! _pg_login_ok; then
    # A fresh cluster, or one from an older script or a crash mid-setup: make the role and database.
    _pg_admin -c "ALTER ROLE rrm WITH SUPERUSER LOGIN PASSWORD 'rrm'" >/dev/null \
      || _die "cannot reach PostgreSQL through its socket in $PG_DIR to set up the rrm role"
    _pg_admin -At -c "SELECT 1 FROM pg_database WHERE datname = 'rrm'" | grep -qx 1 \
      || _pg_admin -c 'CREATE DATABASE rrm' >/dev/null || _die "could not create the database rrm"
    _pg_login_ok || _die "PostgreSQL runs but 'host=127.0.0.1 port=$PG_PORT user=rrm password=rrm dbname=rrm' cannot log in"
  fi
  _pg_service_roles
  _say "PostgreSQL ready on 127.0.0.1:$PG_PORT (user rrm, database rrm; each service's role owns its schema)"
}

# The services' roles and schemas (k8s/components/postgres-roles/service-roles.sql, the one file every
# environment runs), with the local passwords (deploy/postgres/dev-passwords.sql: each is the role's name).
_pg_service_roles() {
  local file
  for file in k8s/components/postgres-roles/service-roles.sql deploy/postgres/dev-passwords.sql; do
    PGOPTIONS='-c client_min_messages=warning' _pg_admin -d rrm -f "$_RRM_INFRA_REPO/$file" >/dev/null \
      || _die "could not apply $file to the database rrm"
  done
}

_pg_down() {
  _pg_running || return 0
  _pg_ctl -m fast -w -t "$WAIT" stop >/dev/null 2>&1 \
    || _pg_ctl -m immediate -w -t 10 stop >/dev/null 2>&1 \
    || { local pid; pid=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; }
  _pg_running && _die "PostgreSQL (data $PG_DIR/data) did not stop"
  _say "PostgreSQL stopped"
}

# ------------------------------------------------------------------ RabbitMQ

# The node's whole environment, in a clean `env -i` so nothing from the caller (RABBITMQ_NODE_PORT,
# ERL_FLAGS, …) leaks in, and nothing from /etc/rabbitmq is read:
#  - HOME is the node folder, so the Erlang cookie is $RMQ_DIR/.erlang.cookie, not ~rabbitmq's;
#  - the listeners come from rabbitmq.conf only (no RABBITMQ_NODE_PORT/NODE_IP_ADDRESS);
#  - RABBITMQ_CTL_DIST_PORT_MIN/MAX: the CLI tools (rabbitmqctl, rabbitmq-diagnostics) are Erlang
#    nodes too and listen on a distribution port taken from 35672-35682 unless told otherwise. A
#    CLI polling a starting node can thus grab the node's own AMQP port when that lies in the range:
#    the node then dies with `eaddrinuse` on a port where nothing listens a moment later (the
#    "mystery" in TOOLCHAIN.md §10, reproduced with AMQP port 35672). Our CLI uses DIST+1..DIST+10.
#  - distribution and a newly started epmd bind to loopback only.
_rmq_env() {
  local loopback='-kernel inet_dist_use_interface {127,0,0,1}'
  _as rabbitmq env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$RMQ_DIR" \
    RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_DIST_PORT="$DIST_PORT" \
    RABBITMQ_CTL_DIST_PORT_MIN=$((DIST_PORT + 1)) RABBITMQ_CTL_DIST_PORT_MAX=$((DIST_PORT + 10)) \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$loopback" RABBITMQ_CTL_ERL_ARGS="$loopback" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log" RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config" RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf" \
    "$@"
}

_rmqctl() { (cd "$RMQ_DIR" && _rmq_env timeout "$WAIT" "$RMQ_BIN/rabbitmqctl" -q "$@"); }

# The pid of our node's beam.smp, or nothing. Its command line carries `-home $RMQ_DIR`, which tells
# it apart from a system-wide node and from a recycled pid in a stale pid file.
_rmq_pid() {
  local pid candidates
  candidates="$(cat "$RMQ_DIR/rabbitmq.pid" 2>/dev/null) $(pgrep -u rabbitmq -x beam.smp 2>/dev/null | tr '\n' ' ')"
  for pid in $candidates; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    { tr '\0' '\n' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qxF -- "$RMQ_DIR" && { echo "$pid"; return 0; }
  done
  return 0
}

# An AMQP 0-9-1 protocol header must be answered with a method frame (type 1: Connection.Start).
_amqp_answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$AMQP_PORT" || exit 1
    printf 'AMQP\x00\x00\x09\x01' >&3
    [ "$(timeout 3 head -c 1 <&3 | od -An -tx1 | tr -d ' \n')" = 01 ]
  ) 2>/dev/null
}

_mgmt_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true; }

_rmq_configure() {
  mkdir -p "$RMQ_DIR/mnesia" "$RMQ_DIR/log" || _die "cannot create $RMQ_DIR"
  # default_* seed the user and vhost when the node's database is created (first start); later
  # starts keep whatever is there, and _rmq_ensure_user repairs it if needed.
  cat >"$RMQ_DIR/rabbitmq.conf" <<CONF
# Written by scripts/infra.sh on every infra_up; edit the script, not this file.
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
listeners.ssl = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
default_user = rrm
default_pass = rrm
default_vhost = rrm
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.write = .*
default_permissions.read = .*
log.file.level = info
log.console = false
CONF
  echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
  echo '[].' >"$RMQ_DIR/advanced.config"
  : >"$RMQ_DIR/rabbitmq-env.conf" # keeps /etc/rabbitmq/rabbitmq-env.conf out
  if [ ! -s "$RMQ_DIR/.erlang.cookie" ]; then
    # Our own cookie, so rabbitmqctl (same HOME) can talk to the node; never ~rabbitmq/.erlang.cookie.
    LC_ALL=C tr -dc '[:upper:]' </dev/urandom | head -c 32 >"$RMQ_DIR/.erlang.cookie"
  fi
  chmod 400 "$RMQ_DIR/.erlang.cookie"
  _is_root && chown -R rabbitmq: "$RMQ_DIR"
  return 0
}

_rmq_check_ports() {
  local p
  for p in "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT"; do
    { [[ $p =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ]; } \
      || _die "RabbitMQ port '$p' is not a TCP port (1-65535): check RRM_AMQP_PORT, RRM_MGMT_PORT, RRM_AMQP_DIST_PORT"
    # Any other RabbitMQ CLI on the machine (e.g. rabbitmqctl for the system node) takes a port
    # from 35672-35682 while it runs: our node would lose its listener to it now and then.
    [ "$p" -lt 35672 ] || [ "$p" -gt 35682 ] \
      || _die "port $p is in 35672-35682, which RabbitMQ's CLI tools use for themselves; choose ports outside it"
  done
  [ $((DIST_PORT + 10)) -le 65535 ] || _die "RRM_AMQP_DIST_PORT=$DIST_PORT leaves no room for the CLI ports (DIST+1..DIST+10 < 65536)"
  for p in "$AMQP_PORT" "$MGMT_PORT"; do
    [ "$p" -le "$DIST_PORT" ] || [ "$p" -gt $((DIST_PORT + 10)) ] \
      || _die "port $p lies in DIST+1..DIST+10 ($((DIST_PORT + 1))-$((DIST_PORT + 10))), reserved for rabbitmqctl; change RRM_AMQP_DIST_PORT"
  done
  if [ -n "$(_rmq_pid)" ]; then
    # Ours runs (or is still booting: _rmq_wait waits for it). It must have the ports asked for.
    local started; started=$(cat "$RMQ_DIR/started-ports" 2>/dev/null)
    [ -z "$started" ] || [ "$started" = "$AMQP_PORT $MGMT_PORT $DIST_PORT" ] && return 0
    _die "the RabbitMQ node of $RRM_HOME runs with ports $started (AMQP, management, distribution), not" \
      "$AMQP_PORT $MGMT_PORT $DIST_PORT; stop it with infra_down and start again"
  fi
  _require_free_port "$AMQP_PORT" RRM_AMQP_PORT "RabbitMQ AMQP"
  _require_free_port "$MGMT_PORT" RRM_MGMT_PORT "RabbitMQ management"
  _require_free_port "$DIST_PORT" RRM_AMQP_DIST_PORT "RabbitMQ distribution"
}

# Starts the node in the background; _rmq_wait waits for it (PostgreSQL starts in between).
_rmq_start() {
  [ -n "$(_rmq_pid)" ] && return 0
  _say "starting RabbitMQ node $RMQ_NODE"
  rm -f "$RMQ_DIR/rabbitmq.pid" # stale after a crash
  echo "$AMQP_PORT $MGMT_PORT $DIST_PORT" >"$RMQ_DIR/started-ports"
  (cd "$RMQ_DIR" && _rmq_env "$RMQ_BIN/rabbitmq-server" -detached) >"$RMQ_DIR/start.log" 2>&1 9>&- \
    || { _tail_log "$RMQ_DIR/start.log" "$RMQ_LOG"; _die "rabbitmq-server -detached failed"; }
}

_rmq_failed() { # MESSAGE
  _tail_log "$RMQ_DIR/start.log" "$RMQ_LOG"
  if grep -q eaddrinuse "$RMQ_LOG" 2>/dev/null; then
    _warn "the log shows eaddrinuse: a port was taken while the node started (another program, or a RabbitMQ CLI of another node; see the comment at _rmq_env in scripts/infra.sh)"
  fi
  _die "$1 (log: $RMQ_LOG)"
}

_rmq_wait() {
  local deadline=$((SECONDS + WAIT)) grace=$((SECONDS + 10)) pid code restarted=0
  # Poll the sockets, not `rabbitmqctl await_startup` (which exits 69 until the node has
  # registered, and costs a whole Erlang VM on each try): the AMQP listener opens last in the boot.
  until _amqp_answers; do
    pid=$(_rmq_pid)
    # A listener port briefly held by an outgoing connection (see _reserve_ports): start once more.
    if [ -z "$pid" ] && [ $SECONDS -ge "$grace" ] && [ $restarted = 0 ] && grep -q eaddrinuse "$RMQ_LOG" 2>/dev/null \
      && ! _port_open "$AMQP_PORT" && ! _port_open "$MGMT_PORT" && _await_port_idle "$AMQP_PORT" && _await_port_idle "$MGMT_PORT"; then
      mv -f "$RMQ_LOG" "$RMQ_LOG.eaddrinuse"
      restarted=1 grace=$((SECONDS + 10)) deadline=$((SECONDS + WAIT))
      _rmq_start
      continue
    fi
    # -detached forks; the pid file appears a moment later, hence the grace period.
    [ -n "$pid" ] || [ $SECONDS -lt "$grace" ] || _rmq_failed "the RabbitMQ node exited during start-up"
    [ $SECONDS -lt "$deadline" ] || _rmq_failed "RabbitMQ did not answer AMQP on 127.0.0.1:$AMQP_PORT within ${WAIT} s; infra_down stops it"
    sleep 0.5
  done
  until code=$(_mgmt_code "http://127.0.0.1:$MGMT_PORT/api/overview"); [ "$code" = 200 ] || [ "$code" = 401 ]; do
    [ $SECONDS -lt "$deadline" ] || _rmq_failed "the RabbitMQ management API did not answer on 127.0.0.1:$MGMT_PORT within ${WAIT} s"
    sleep 0.5
  done
}

_rmq_user_ok() {
  local api="http://127.0.0.1:$MGMT_PORT/api"
  curl -sf --max-time 5 -u rrm:rrm "$api/whoami" 2>/dev/null | grep -q '"administrator"' || return 1
  curl -sf --max-time 5 -u rrm:rrm "$api/permissions/rrm/rrm" 2>/dev/null \
    | grep -q '"configure":"\.\*".*"write":"\.\*".*"read":"\.\*"'
}

# User rrm/rrm (administrator), vhost rrm, full permissions. Checked over HTTP (milliseconds); the
# CLI (seconds per call) only runs to repair, e.g. on a node whose database predates default_*.
_rmq_ensure_user() {
  _rmq_user_ok && return 0
  _say "setting up RabbitMQ user rrm and vhost rrm"
  _rmqctl add_user rrm rrm >/dev/null 2>&1 || _rmqctl change_password rrm rrm >/dev/null \
    || _die "rabbitmqctl cannot set up the user rrm on $RMQ_NODE"
  _rmqctl set_user_tags rrm administrator >/dev/null || _die "rabbitmqctl set_user_tags failed"
  _rmqctl add_vhost rrm >/dev/null 2>&1 || true # fails when it exists; the check below decides
  _rmqctl set_permissions -p rrm rrm '.*' '.*' '.*' >/dev/null || _die "rabbitmqctl set_permissions failed"
  _rmq_user_ok || _die "RabbitMQ user rrm / vhost rrm still not usable over http://127.0.0.1:$MGMT_PORT"
}

# _rmq_customs_feed VHOST [USER] — the customs system's broker objects of deploy/rabbitmq/definitions.json (the
# file compose loads) put into VHOST: the user (default customs-feed, password customs-feed; USER renames it, for
# a trial in a test vhost) with its limits and its consume-only permissions, the exchange as the Tariff-Liquidation
# service declares it (an equal declaration is a no-op for either side), the queue customs.feed bound to every
# instruction, and its max-length policy. One definitions import over the management API (milliseconds; the same
# import rabbitmqctl import_definitions does, user limits included), then a check. Idempotent. Runs alone:
#   source scripts/infra.sh && _rmq_customs_feed t-mine t-mine-customs
_rmq_customs_feed() (
  set +e -uo pipefail
  _infra_settings
  local vhost=${1:?usage: _rmq_customs_feed VHOST [USER]} user=${2:-customs-feed} api="http://127.0.0.1:$MGMT_PORT/api" body
  body=$(python3 - "$_RRM_INFRA_REPO/deploy/rabbitmq/definitions.json" "$vhost" "$user" <<'PY'
import json, sys
path, vhost, user = sys.argv[1:]
d = json.load(open(path))
# The customs objects: its user and permissions, and the topology (the file declares no other).
out = {
    "users": [dict(u, name=user) for u in d["users"] if u["name"] == "customs-feed"],
    "permissions": [dict(p, user=user, vhost=vhost) for p in d["permissions"] if p["user"] == "customs-feed"],
}
for key in ("exchanges", "queues", "bindings", "policies"):
    out[key] = [dict(o, vhost=vhost) for o in d.get(key, [])]
print(json.dumps(out))
PY
  ) || _die "cannot read $_RRM_INFRA_REPO/deploy/rabbitmq/definitions.json"
  curl -sf --max-time 10 -u rrm:rrm -H 'content-type: application/json' -X POST --data-binary "$body" "$api/definitions" >/dev/null \
    || _die "importing the customs feed's definitions into vhost $vhost failed ($api/definitions)"
  curl -sf --max-time 5 -u rrm:rrm "$api/permissions/$vhost/$user" | grep -q '"configure":"^\$","write":"^\$"' \
    || _die "the user $user has other permissions than configure ^\$ and write ^\$ in vhost $vhost"
  curl -sf --max-time 5 -u rrm:rrm "$api/bindings/$vhost/e/rrm.customs.instructions/q/customs.feed" | grep -q '"routing_key":"#"' \
    || _die "customs.feed is not bound to rrm.customs.instructions in vhost $vhost"
  curl -sf --max-time 5 -u rrm:rrm "$api/user-limits/$user" | grep -q '"max-connections"' \
    || _die "the user $user has no connection limit"
  exit 0
)

_rmq_down() {
  local pid; pid=$(_rmq_pid)
  [ -n "$pid" ] || { rm -f "$RMQ_DIR/rabbitmq.pid"; return 0; }
  # SIGTERM makes RabbitMQ (3.8+) shut down gracefully, like `rabbitmqctl stop`, without paying for
  # a CLI VM; SIGKILL only when it does not finish within the bounded wait.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + WAIT))
  while _alive "$pid" && [ $SECONDS -lt "$deadline" ]; do sleep 0.2; done
  if _alive "$pid"; then
    _warn "RabbitMQ did not stop within ${WAIT} s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$RMQ_DIR/rabbitmq.pid"
  _say "RabbitMQ stopped"
}

# ------------------------------------------------------------------ public

infra_up() (
  set +e -uo pipefail # explicit checks below; a caller's set -e must not end us half-way
  _infra_settings
  mkdir -p "$RRM_HOME" || _die "cannot create $RRM_HOME"
  _infra_lock
  _ensure_packages
  _ensure_reachable
  _pg_init
  _rmq_configure
  # Every port is checked before anything starts.
  _pg_check_ports
  _rmq_check_ports
  _reserve_ports
  _rmq_start # boots in the background while PostgreSQL starts
  _pg_up
  _rmq_wait
  _rmq_ensure_user
  _rmq_customs_feed rrm || exit 1
  _say "RabbitMQ ready on 127.0.0.1:$AMQP_PORT (vhost rrm, user rrm; the customs system's user customs-feed consumes customs.feed), management http://127.0.0.1:$MGMT_PORT"
)

infra_down() (
  set +e -uo pipefail # explicit checks below; a caller's set -e must not end us half-way
  _infra_settings
  [ -d "$RRM_HOME" ] || exit 0
  _infra_lock
  _rmq_down
  _pg_down
)

infra_status() (
  set +e -uo pipefail # explicit checks below; a caller's set -e must not end us half-way
  _infra_settings
  local rc=0
  if _pg_running; then
    _say "PostgreSQL: running on 127.0.0.1:$(_pg_running_port) (data $PG_DIR/data)"
  else
    _say "PostgreSQL: stopped (port $PG_PORT)"; rc=1
  fi
  local pid; pid=$(_rmq_pid)
  if [ -n "$pid" ] && _amqp_answers; then
    _say "RabbitMQ: running on 127.0.0.1:$AMQP_PORT, management http://127.0.0.1:$MGMT_PORT (node $RMQ_NODE, pid $pid)"
  elif [ -n "$pid" ]; then
    _say "RabbitMQ: process $pid runs but AMQP does not answer on 127.0.0.1:$AMQP_PORT (starting, or broken: see $RMQ_LOG)"; rc=1
  else
    _say "RabbitMQ: stopped (port $AMQP_PORT)"; rc=1
  fi
  exit $rc
)

# infra_fault broker-stop|broker-start|db-stop|db-start: stops or starts one server under a running suite,
# as an outage would (`./rrm chaos`). The broker stops gracefully (durable queues keep their messages),
# PostgreSQL with -m fast (open sessions are cut); starting waits until the server answers again.
infra_fault() (
  set +e -uo pipefail
  _infra_settings
  _infra_lock
  case "${1:-}" in
    broker-stop) _rmq_down ;;
    broker-start) _rmq_start && _rmq_wait && _say "RabbitMQ back on 127.0.0.1:$AMQP_PORT" ;;
    db-stop) _pg_down ;;
    db-start) { _pg_running || _pg_start; } && _say "PostgreSQL back on 127.0.0.1:$PG_PORT" ;;
    *) _die "usage: rrm fault broker-stop|broker-start|db-stop|db-start" ;;
  esac
)

# infra_service_conn ROLE [DATABASE] — the connection string of a service's role (local password = role name).
infra_service_conn() {
  echo "Host=127.0.0.1;Port=${RRM_PG_PORT:-55432};Username=$1;Password=$1;Database=${2:-rrm}"
}

# Runs in the caller's shell, because it exports.
infra_env() {
  local pg=${RRM_PG_PORT:-55432} amqp=${RRM_AMQP_PORT:-55672} mgmt=${RRM_MGMT_PORT:-55673}
  export RRM_PG_CONN="Host=127.0.0.1;Port=$pg;Username=rrm;Password=rrm;Database=rrm"
  export RRM_AMQP_BASE="amqp://rrm:rrm@127.0.0.1:$amqp"
  export RRM_AMQP_URL="$RRM_AMQP_BASE/rrm"
  export RRM_MGMT_URL="http://127.0.0.1:$mgmt"
  export RRM_MGMT_USER=rrm RRM_MGMT_PASSWORD=rrm
  export RRM_CUSTOMS_AMQP_URL="amqp://customs-feed:customs-feed@127.0.0.1:$amqp/rrm" # consume customs.feed only
}

# grpc_health PORT|HOST:PORT [SERVICE] — 0 only when grpc.health.v1.Health/Check answers
# grpc-status 0 with status SERVING, over plaintext HTTP/2 (h2c). SERVICE "" is liveness; the services
# also register "readiness" and "broker". Quiet on failure (callers poll it); RRM_GRPC_HEALTH_VERBOSE=1 says why.
grpc_health() (
  set +e -uo pipefail # explicit checks below; a caller's set -e must not end us half-way
  local target=${1:?usage: grpc_health PORT [SERVICE]} service=${2-}
  [[ $target == *:* ]] || target=127.0.0.1:$target
  _byte() { printf '%b' "\\x$(printf %02x "$1")"; }
  _why() { [ "${RRM_GRPC_HEALTH_VERBOSE:-0}" = 1 ] && echo "rrm: grpc_health $target '$service': $*" >&2; exit 1; }
  if ! command -v curl >/dev/null; then
    _infra_settings
    _apt_install curl
  fi
  local tmp; tmp=$(mktemp -d) || exit 1
  trap 'rm -rf "$tmp"' EXIT
  # HealthCheckRequest{service}: field 1, wire type 2 -> tag 0x0a, varint length, UTF-8 bytes
  # (an empty string is simply omitted). gRPC frame: flag 0 (uncompressed), 4-byte big-endian length.
  local LC_ALL=C # ${#…} counts bytes
  local n=${#service} msg=$tmp/msg
  : >"$msg"
  if [ "$n" -gt 0 ]; then
    [ "$n" -lt 16384 ] || _why "service name too long"
    if [ "$n" -lt 128 ]; then
      { _byte 10; _byte "$n"; } >>"$msg"
    else
      { _byte 10; _byte $(((n & 127) | 128)); _byte $((n >> 7)); } >>"$msg"
    fi
    printf '%s' "$service" >>"$msg"
  fi
  local m; m=$(wc -c <"$msg")
  {
    _byte 0
    _byte $(((m >> 24) & 255)); _byte $(((m >> 16) & 255)); _byte $(((m >> 8) & 255)); _byte $((m & 255))
    cat "$msg"
  } >"$tmp/req"
  # -D gets the response headers and, for HTTP/2, the trailers (where grpc-status normally is; a
  # "trailers-only" error response puts it in the headers instead).
  curl -s --http2-prior-knowledge --max-time "${RRM_GRPC_HEALTH_TIMEOUT:-5}" -X POST \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @"$tmp/req" \
    -D "$tmp/head" -o "$tmp/body" "http://$target/grpc.health.v1.Health/Check" 2>/dev/null \
    || _why "no HTTP/2 answer (server down, or not h2c)"
  head -n 1 "$tmp/head" | grep -q '^HTTP/2 200' || _why "HTTP status: $(head -n 1 "$tmp/head" | tr -d '\r')"
  local status; status=$(tr -d '\r' <"$tmp/head" | grep -i '^grpc-status:' | tail -n 1 | sed 's/^[^:]*: *//')
  [ "$status" = 0 ] || _why "grpc-status '${status:-missing}' $(tr -d '\r' <"$tmp/head" | grep -i '^grpc-message:' | tail -n 1)"
  # One uncompressed frame of 2 bytes: HealthCheckResponse{status = SERVING (1)} = 08 01.
  local body; body=$(od -An -v -tx1 "$tmp/body" | tr -d ' \n')
  [ "$body" = 00000000020801 ] || _why "not SERVING (response frame: ${body:-empty})"
  exit 0
)
