# Helpers for the nodeagent suites (load after ../helpers).
# Every test gets its own root dir, cgroup root, bridge and pod CIDR, and
# na_teardown kills and removes everything the node made, even on failure.

na_setup() {
  NA_ROOT="$BATS_TEST_TMPDIR/root"
  NA_MANIFESTS="$BATS_TEST_TMPDIR/manifests"
  NA_PORT=$(free_port)
  NA_URL="http://127.0.0.1:$NA_PORT"
  NA_NODE="n$RANDOM"
  NA_CGROUP="kubix-bats-$$-$RANDOM"
  NA_BRIDGE="nab$RANDOM"
  mkdir -p "$NA_MANIFESTS"
  # A /24 no route of this machine overlaps.
  local third
  for _ in $(seq 1 50); do
    third=$((RANDOM % 250 + 1))
    ip route | grep -q "^10\.213\.$third\." || break
  done
  NA_CIDR="10.213.$third.0/24"
  NA_NET="10.213.$third"
}

# na_start [FLAGS...]: starts nodeagent for this test and waits for it.
na_start() {
  start_daemon nodeagent nodeagent --root-dir "$NA_ROOT" --pod-manifest-path "$NA_MANIFESTS" \
    --address 127.0.0.1 --port "$NA_PORT" --hostname-override "$NA_NODE" \
    --cgroup-root "$NA_CGROUP" --pod-bridge "$NA_BRIDGE" --file-check-frequency 1s -v 1 "$@"
  wait_for_url "$NA_URL/healthz" 20
}

na_teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
  [ -n "${NA_ROOT:-}" ] && nodeagent reset --root-dir "$NA_ROOT" --cgroup-root "$NA_CGROUP" \
    --pod-bridge "$NA_BRIDGE" >/dev/null 2>&1 || true
}

# na_pod NAME YAML: writes a static pod manifest (its pod is NAME-<node>).
na_pod() {
  printf '%s\n' "$2" >"$NA_MANIFESTS/$1.yaml.tmp"
  mv "$NA_MANIFESTS/$1.yaml.tmp" "$NA_MANIFESTS/$1.yaml"
}

# na_status NAME: the pod's status as JSON.
na_status() {
  curl -sf "$NA_URL/pods" | jq -c --arg n "$1-$NA_NODE" '.items[] | select(.metadata.name == $n) | .status'
}

# na_jq NAME FILTER: a jq filter over the pod's status, raw output.
na_jq() {
  na_status "$1" | jq -r "$2"
}

# na_wait SECS NAME FILTER VALUE: waits until the filter gives VALUE.
na_wait() {
  local secs=$1 name=$2 filter=$3 want=$4 i got
  for ((i = 0; i < secs * 10; i++)); do
    got=$(na_jq "$name" "$filter" 2>/dev/null)
    [ "$got" = "$want" ] && return 0
    sleep 0.1
  done
  echo "timed out: $name $filter is '$got', want '$want'" >&2
  na_status "$name" >&2
  return 1
}

# na_uid NAME: the pod's UID.
na_uid() {
  curl -sf "$NA_URL/pods" | jq -r --arg n "$1-$NA_NODE" '.items[] | select(.metadata.name == $n) | .metadata.uid'
}

# na_cgroup CONTROLLER NAME: the pod cgroup directory in a v1 hierarchy (or v2).
na_cgroup_dirs() {
  local uid=$1
  find /sys/fs/cgroup -type d -name "pod$uid" 2>/dev/null
}
