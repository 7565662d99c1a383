# shellcheck shell=bash
# Project-local PostgreSQL and RabbitMQ for ./rrm (sourced). Data, logs and pids live under
# $RRM_HOME (default .rrm/); ports are dedicated, so a system-wide instance is never touched.
# See docs/adr/0001-local-infrastructure.md.

RRM_HOME=${RRM_HOME:-$(pwd)/.rrm}
RRM_PG_PORT=${RRM_PG_PORT:-55432}
RRM_AMQP_PORT=${RRM_AMQP_PORT:-55672}
RRM_MGMT_PORT=${RRM_MGMT_PORT:-55673}
RRM_AMQP_DIST_PORT=${RRM_AMQP_DIST_PORT:-55674}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RMQ_BIN=/usr/lib/rabbitmq/bin
INFRA_WAIT=${RRM_INFRA_WAIT:-60}

_say() { echo "rrm: $*"; }
_fail() { echo "rrm: $*" >&2; return 1; }
_is_root() { [ "$(id -u)" -eq 0 ]; }
_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs a command as the account that owns a server's files: postgres or rabbitmq when we are root
# (the servers refuse to run as root), ourselves otherwise.
_as() { local user=$1; shift; if _is_root; then runuser -u "$user" -- "$@"; else "$@"; fi; }

_install_packages() { # package...
  _is_root || _fail "missing packages: $* — install them (sudo apt-get install $*) or run ./rrm as root" || return 1
  command -v apt-get >/dev/null || _fail "missing packages: $* and apt-get is not available" || return 1
  _say "installing $* with apt-get"
  # Keep the packaged system-wide services from starting: we run our own instances.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$RRM_HOME/apt.log" 2>&1 || rc=$?
  rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || { tail -n 20 "$RRM_HOME/apt.log" >&2; _fail "apt-get install $* failed (log: $RRM_HOME/apt.log)"; return 1; }
}

_ensure_packages() {
  local missing=()
  [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
  [ -x "$RMQ_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] || _install_packages "${missing[@]}"
}

# ---------------------------------------------------------------- PostgreSQL
PG_DIR() { echo "$RRM_HOME/pg"; }

_pg_running() { _as postgres "$PG_BIN/pg_ctl" -D "$(PG_DIR)/data" status >/dev/null 2>&1; }

_pg_up() {
  local dir; dir=$(PG_DIR)
  mkdir -p "$dir"
  _is_root && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    _say "creating the PostgreSQL cluster in $dir/data"
    _as postgres "$PG_BIN/initdb" -D "$dir/data" -U rrm -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { tail -n 20 "$dir/initdb.log" >&2; _fail "initdb failed"; return 1; }
  fi
  if _pg_running; then return 0; fi
  if _port_open "$RRM_PG_PORT"; then
    _fail "port $RRM_PG_PORT is in use by another program; choose another with RRM_PG_PORT=<port>"; return 1
  fi
  # fsync is off: this is a disposable development and test instance, and a process crash (what the
  # tests simulate) loses nothing without it.
  _as postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$INFRA_WAIT" \
    -o "-p $RRM_PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; _fail "PostgreSQL did not start (log: $dir/postgres.log)"; return 1; }
  _psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'rrm'" | grep -q 1 \
    || _psql postgres -c "CREATE DATABASE rrm" >/dev/null
  _psql postgres -c "ALTER ROLE rrm PASSWORD 'rrm'" >/dev/null
  _say "PostgreSQL ready on 127.0.0.1:$RRM_PG_PORT"
}

_psql() { local db=$1; shift; psql "postgresql://rrm:rrm@127.0.0.1:$RRM_PG_PORT/$db" -X -q -v ON_ERROR_STOP=1 "$@"; }

_pg_down() {
  [ -f "$(PG_DIR)/data/PG_VERSION" ] && _pg_running || return 0
  _as postgres "$PG_BIN/pg_ctl" -D "$(PG_DIR)/data" -m fast -w -t "$INFRA_WAIT" stop >/dev/null && _say "PostgreSQL stopped"
}

# ------------------------------------------------------------------ RabbitMQ
RMQ_DIR() { echo "$RRM_HOME/rabbitmq"; }

# The node's whole environment: its own name, ports, data, logs, config and Erlang cookie (HOME).
_rmq() {
  local dir; dir=$(RMQ_DIR)
  _as rabbitmq env HOME="$dir" RABBITMQ_NODENAME="rrm-$RRM_AMQP_PORT@localhost" \
    RABBITMQ_DIST_PORT="$RRM_AMQP_DIST_PORT" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" "$@"
}

_rmq_running() { _rmq "$RMQ_BIN/rabbitmqctl" -q status >/dev/null 2>&1; }

_rmq_up() {
  local dir; dir=$(RMQ_DIR)
  mkdir -p "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RRM_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RRM_MGMT_PORT
loopback_users = none
vm_memory_high_watermark.relative = 0.2
disk_free_limit.absolute = 200MB
CONF
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  echo '[].' >"$dir/advanced.config"
  : >"$dir/rabbitmq-env.conf"
  _is_root && chown -R rabbitmq: "$dir"
  if ! _rmq_running; then
    local port
    for port in "$RRM_AMQP_PORT" "$RRM_MGMT_PORT" "$RRM_AMQP_DIST_PORT"; do
      if _port_open "$port"; then
        _fail "port $port is in use by another program; choose others with RRM_AMQP_PORT, RRM_MGMT_PORT, RRM_AMQP_DIST_PORT"; return 1
      fi
    done
    _rmq "$RMQ_BIN/rabbitmq-server" -detached >"$dir/start.log" 2>&1 || true
    local waited=0
    # await_startup fails at once until the node has registered, so poll it (bounded).
    until _rmq "$RMQ_BIN/rabbitmqctl" -q await_startup --timeout 5 >/dev/null 2>&1; do
      waited=$((waited + 1))
      if [ $waited -ge "$INFRA_WAIT" ]; then
        tail -n 30 "$dir"/log/*.log "$dir/start.log" >&2 2>/dev/null
        _fail "RabbitMQ did not start within ${INFRA_WAIT} s (logs: $dir/log)"; return 1
      fi
      sleep 1
    done
  fi
  _rmq "$RMQ_BIN/rabbitmqctl" -q list_users 2>/dev/null | grep -q '^rrm' \
    || _rmq "$RMQ_BIN/rabbitmqctl" -q add_user rrm rrm >/dev/null
  _rmq "$RMQ_BIN/rabbitmqctl" -q set_user_tags rrm administrator >/dev/null
  _rmq "$RMQ_BIN/rabbitmqctl" -q add_vhost rrm >/dev/null 2>&1 || true
  _rmq "$RMQ_BIN/rabbitmqctl" -q set_permissions -p rrm rrm '.*' '.*' '.*' >/dev/null
  local waited=0
  until curl -sf -u rrm:rrm "http://127.0.0.1:$RRM_MGMT_PORT/api/overview" >/dev/null; do
    waited=$((waited + 1))
    [ $waited -lt "$INFRA_WAIT" ] || { _fail "RabbitMQ management API not answering on $RRM_MGMT_PORT"; return 1; }
    sleep 1
  done
  _say "RabbitMQ ready on 127.0.0.1:$RRM_AMQP_PORT (management $RRM_MGMT_PORT)"
}

_rmq_down() {
  [ -d "$(RMQ_DIR)/mnesia" ] && _rmq_running || return 0
  _rmq timeout "$INFRA_WAIT" "$RMQ_BIN/rabbitmqctl" -q stop >/dev/null 2>&1 \
    || pkill -9 -f "rrm-$RRM_AMQP_PORT@localhost" || true
  _say "RabbitMQ stopped"
}

# The servers run as the postgres and rabbitmq accounts, which must be able to reach $RRM_HOME.
# A checkout under a private folder (mktemp -d is 0700) blocks them: grant search permission (x,
# not read) on each such ancestor, and say so.
_ensure_reachable() {
  _is_root || return 0
  local dir=$RRM_HOME
  while [ "$dir" != / ]; do
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      chmod o+x "$dir" && _say "granted search permission on $dir so the database and broker accounts can reach .rrm"
    fi
    dir=$(dirname "$dir")
  done
}

# ------------------------------------------------------------------ public
infra_up() {
  mkdir -p "$RRM_HOME"
  _ensure_reachable
  _ensure_packages || return 1
  _pg_up || return 1
  _rmq_up || return 1
}

infra_down() { _rmq_down; _pg_down; }

infra_status() {
  if [ -f "$(PG_DIR)/data/PG_VERSION" ] && _pg_running; then _say "PostgreSQL: running on 127.0.0.1:$RRM_PG_PORT"; else _say "PostgreSQL: stopped"; fi
  if [ -x "$RMQ_BIN/rabbitmqctl" ] && [ -d "$(RMQ_DIR)/mnesia" ] && _rmq_running; then
    _say "RabbitMQ: running on 127.0.0.1:$RRM_AMQP_PORT (management $RRM_MGMT_PORT)"
  else
    _say "RabbitMQ: stopped"
  fi
}

infra_env() {
  export RRM_PG_CONN="Host=127.0.0.1;Port=$RRM_PG_PORT;Username=rrm;Password=rrm;Database=rrm"
  export RRM_AMQP_BASE="amqp://rrm:rrm@127.0.0.1:$RRM_AMQP_PORT"
  export RRM_AMQP_URL="$RRM_AMQP_BASE/rrm"
  export RRM_MGMT_URL="http://127.0.0.1:$RRM_MGMT_PORT" RRM_MGMT_USER=rrm RRM_MGMT_PASSWORD=rrm
}

# grpc_health PORT SERVICE — 0 when grpc.health.v1.Health/Check answers SERVING (plaintext HTTP/2).
grpc_health() {
  local port=$1 service=${2:-} body
  # HealthCheckRequest{service}: field 1 (0x0a), length, bytes; framed by a 0 flag and a 4-byte length.
  body=$(mktemp)
  python3 - "$service" >"$body" <<'PY'
import sys, struct
s = sys.argv[1].encode()
msg = (b"\x0a" + bytes([len(s)]) + s) if s else b""
sys.stdout.buffer.write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY
  local out
  out=$(curl -s --max-time 3 --http2-prior-knowledge -X POST -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$body" "http://127.0.0.1:$port/grpc.health.v1.Health/Check" -D - -o >(xxd -p | tr -d '\n' >"$body.out") 2>/dev/null) || { rm -f "$body" "$body.out"; return 1; }
  sleep 0.05
  local payload; payload=$(cat "$body.out" 2>/dev/null); rm -f "$body" "$body.out"
  # Response body: 00 00000002 0801 (status SERVING = 1); the grpc-status trailer must be 0 (or absent in headers-only OK).
  grep -qi 'grpc-status: *[1-9]' <<<"$out" && return 1
  [ "$payload" = "00000000020801" ]
}
