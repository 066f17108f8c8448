# Shared helpers for the bats suites. Load with:  load '../helpers'
# Every daemon a test starts through start_daemon is killed in teardown, even
# when the test fails.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

KUBIX_TOP="${KUBIX_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export PATH="$KUBIX_TOP/build/bin:$PATH"

# free_port: prints a TCP port nothing listens on (random, so suites running
# side by side rarely collide; checked against ss).
free_port() {
  local port used
  used=$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! grep -qx "$port" <<<"$used"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# wait_for_url URL [SECONDS]: waits until URL answers (any HTTP status).
wait_for_url() {
  local url=$1 secs=${2:-20} i
  for ((i = 0; i < secs * 20; i++)); do
    curl -ks -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.05
  done
  echo "timed out waiting for $url" >&2
  return 1
}

# wait_until SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_until() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "timed out after ${secs}s waiting for: $*" >&2
  return 1
}

# start_daemon NAME CMD...: runs CMD in the background, logging to
# $BATS_TEST_TMPDIR/NAME.log; its pid is recorded for stop_daemons.
start_daemon() {
  local name=$1
  shift
  "$@" >"$BATS_TEST_TMPDIR/$name.log" 2>&1 &
  echo "$! $name" >>"$BATS_TEST_TMPDIR/.daemons"
}

# daemon_pid NAME: the pid start_daemon recorded for NAME.
daemon_pid() {
  awk -v n="$1" '$2 == n {p = $1} END {print p}' "$BATS_TEST_TMPDIR/.daemons"
}

# stop_daemons: SIGTERM every daemon this test started, SIGKILL after 5 s.
stop_daemons() {
  [ -f "$BATS_TEST_TMPDIR/.daemons" ] || return 0
  local pid name
  while read -r pid name; do
    kill -TERM "$pid" 2>/dev/null || true
  done <"$BATS_TEST_TMPDIR/.daemons"
  for _ in $(seq 1 50); do
    local alive=0
    while read -r pid name; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done <"$BATS_TEST_TMPDIR/.daemons"
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  while read -r pid name; do
    kill -KILL "$pid" 2>/dev/null || true
  done <"$BATS_TEST_TMPDIR/.daemons"
  rm -f "$BATS_TEST_TMPDIR/.daemons"
}

# show_logs: prints every daemon log of this test (call from teardown on failure).
show_logs() {
  local f
  for f in "$BATS_TEST_TMPDIR"/*.log; do
    [ -f "$f" ] || continue
    echo "--- $(basename "$f")"
    tail -n 50 "$f"
  done
}

# check_man_matches_help TOOL: every long option --help lists appears in man/TOOL.1.
check_man_matches_help() {
  local tool=$1 man="$KUBIX_TOP/man/$1.1" opt missing=()
  groff -ww -z -man "$man"
  while read -r opt; do
    grep -q -- "${opt//-/\\\\-}\|$opt" "$man" || missing+=("$opt")
  done < <("$tool" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "man/$tool.1 lacks: ${missing[*]}" >&2
    return 1
  fi
}
