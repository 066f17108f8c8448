#!/usr/bin/env bats
# proxyrules run against apiserve: objects created through the API become
# chains, deleted ones go away, stale UDP conntrack entries are cleared, and
# the daemon serves health and kube-proxy's metrics. apiserve, the daemon and
# curl all run inside a network namespace created here, so the rules the
# daemon writes touch nothing else.

load '../helpers'
bats_require_minimum_version 1.5.0

setup() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
  command -v apiserve >/dev/null || skip "apiserve is not built"
  NS="prd$(printf '%04x' $RANDOM)$$"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  echo "$NS" >"$BATS_TEST_TMPDIR/ns"
  # A fresh namespace has every port free.
  API_PORT=16443 HEALTH_PORT=10256 METRICS_PORT=10249
  local dir="$BATS_TEST_TMPDIR/apiserve"
  mkdir -p "$dir"
  start_daemon apiserve ip netns exec "$NS" apiserve --bind-address 127.0.0.1 \
    --secure-port "$API_PORT" --data-dir "$dir/data" --cert-dir "$dir/certs" \
    --etcd-compaction-interval 0 --service-cluster-ip-range 10.96.0.0/16
  # The daemon's kubeconfig (apiserve serves anonymous clients here).
  cat >"$BATS_TEST_TMPDIR/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: t
  cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}
users:
- name: u
  user: {}
contexts:
- name: t
  context: {cluster: t, user: u, namespace: default}
current-context: t
KC
  # Our own xtables lock: other suites' (and benchmarks') iptables runs in
  # other namespaces must not make this one wait.
  export KUBECONFIG="$BATS_TEST_TMPDIR/kubeconfig" XTABLES_LOCKFILE="$BATS_TEST_TMPDIR/xtables.lock"
  wait_until 30 in_ns curl -ksf "https://127.0.0.1:$API_PORT/readyz"
}

teardown() {
  stop_daemons
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  local ns
  ns=$(cat "$BATS_TEST_TMPDIR/ns" 2>/dev/null) && ip netns del "$ns" 2>/dev/null || true
}

in_ns() { ip netns exec "$NS" "$@"; }

# api METHOD PATH [JSON]: a request to apiserve (anonymous), failing on an
# HTTP error. kubectl is not used: with no credentials it prompts for them.
api() {
  local args=(-sk --fail-with-body -X "$1" "https://127.0.0.1:$API_PORT$2")
  [ $# -lt 3 ] || args+=(-H "Content-Type: ${4:-application/json}" --data-binary "$3")
  local out
  out=$(in_ns curl "${args[@]}") || { echo "api $1 $2 failed: $out" >&2; return 1; }
}

# service NAME IP PROTO / slice NAME PROTO ENDPOINT...: the objects as JSON.
service() {
  echo "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"$1\", \"namespace\": \"default\"},
    \"spec\": {\"clusterIP\": \"$2\", \"ports\": [{\"name\": \"p\", \"port\": 53, \"targetPort\": 5353, \"protocol\": \"$3\"}]}}"
}
endpoints_json() {
  local ep out=""
  for ep in "$@"; do
    out+="${out:+, }{\"addresses\": [\"$ep\"], \"nodeName\": \"node1\", \"conditions\": {\"ready\": true}}"
  done
  echo "[$out]"
}
slice() {
  local name=$1 proto=$2
  shift 2
  echo "{\"apiVersion\": \"discovery.k8s.io/v1\", \"kind\": \"EndpointSlice\",
    \"metadata\": {\"name\": \"$name-1\", \"namespace\": \"default\", \"labels\": {\"kubernetes.io/service-name\": \"$name\"},
      \"annotations\": {\"endpoints.kubernetes.io/last-change-trigger-time\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}},
    \"addressType\": \"IPv4\", \"ports\": [{\"name\": \"p\", \"port\": 5353, \"protocol\": \"$proto\"}],
    \"endpoints\": $(endpoints_json "$@")}"
}
create_objects() {  # NAME IP PROTO ENDPOINT...
  local name=$1 ip=$2 proto=$3
  shift 3
  api POST /api/v1/namespaces/default/services "$(service "$name" "$ip" "$proto")"
  api POST /apis/discovery.k8s.io/v1/namespaces/default/endpointslices "$(slice "$name" "$proto" "$@")"
}
set_endpoints() {  # NAME ENDPOINT...
  local name=$1
  shift
  api PATCH "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/$name-1" \
    "{\"endpoints\": $(endpoints_json "$@")}" application/merge-patch+json
}
delete_objects() {  # NAME
  api DELETE "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/$1-1"
  api DELETE "/api/v1/namespaces/default/services/$1"
}

start_proxyrules() {
  start_daemon proxyrules ip netns exec "$NS" proxyrules run -v 2 --kubeconfig "$KUBECONFIG" \
    --hostname-override node1 --cluster-cidr 10.244.0.0/16 --backend "${BACKEND:-iptables-legacy-restore}" \
    --iptables-min-sync-period 100ms --iptables-sync-period 3s \
    --healthz-bind-address "127.0.0.1:$HEALTH_PORT" --metrics-bind-address "127.0.0.1:$METRICS_PORT"
  wait_until 30 in_ns curl -sf "http://127.0.0.1:$HEALTH_PORT/healthz"
}

nat() { in_ns iptables-legacy-save -t nat; }
has_chain() { nat | grep -q "^:$1 "; }
no_chain() { ! nat | grep -q "^:$1 "; }

@test "run: a Service and EndpointSlice become chains; deleting them removes the chains" {
  start_proxyrules
  create_objects web 10.96.0.10 TCP 10.244.0.2 10.244.0.3
  svc=$(proxyrules hash default/web:p | head -n1)
  sep=$(proxyrules hash default/web:p --endpoint 10.244.0.3:5353 | tail -n1)
  wait_until 10 has_chain "$svc"
  wait_until 10 has_chain "$sep"
  run nat
  assert_output --partial -- "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/web:p cluster IP\" -m tcp --dport 53 -j $svc"
  # An endpoint goes: its chain goes with the next (partial) sync.
  set_endpoints web 10.244.0.2
  wait_until 10 no_chain "$sep"
  has_chain "$svc"
  # The service goes: all its chains go.
  delete_objects web
  wait_until 10 no_chain "$svc"
  run nat
  refute_output --partial "default/web:p"
  # Health and kube-proxy's metrics.
  run in_ns curl -s "http://127.0.0.1:$HEALTH_PORT/healthz"
  assert_output --partial '"lastUpdated"'
  run in_ns curl -s "http://127.0.0.1:$METRICS_PORT/metrics"
  assert_output --partial "kubeproxy_sync_proxy_rules_last_timestamp_seconds"
  assert_output --partial "kubeproxy_sync_partial_proxy_rules_duration_seconds_count"
  [[ $output =~ kubeproxy_network_programming_duration_seconds_count\ [1-9] ]]
  [[ $output =~ kubeproxy_sync_proxy_rules_endpoint_changes_total\ [1-9] ]]
}

@test "run: removing a UDP endpoint clears its conntrack entries" {
  start_proxyrules
  create_objects dns 10.96.0.53 UDP 10.244.0.7 10.244.0.8
  wait_until 10 has_chain "$(proxyrules hash default/dns:p --protocol UDP | head -n1)"
  # A flow DNATed to each endpoint, as a client's DNS queries would leave.
  local ep sport=5000
  for ep in 10.244.0.7 10.244.0.8; do
    in_ns conntrack -I -p udp -s 10.244.0.9 -d 10.96.0.53 --sport "$sport" --dport 53 -r "$ep" \
      -q 10.244.0.9 --reply-port-src 5353 --reply-port-dst "$sport" -t 300 -u SEEN_REPLY
    sport=$((sport + 1))
  done
  run in_ns conntrack -L -p udp
  assert_output --partial "src=10.244.0.7"
  set_endpoints dns 10.244.0.8
  wait_until 10 bash -c "! ip netns exec $NS conntrack -L -p udp 2>/dev/null | grep -q 'src=10.244.0.7'"
  # The surviving endpoint's flow is untouched.
  run in_ns conntrack -L -p udp
  assert_output --partial "src=10.244.0.8"
}

@test "run: SIGTERM stops the daemon and leaves the rules" {
  start_proxyrules
  create_objects web 10.96.0.10 TCP 10.244.0.2
  svc=$(proxyrules hash default/web:p | head -n1)
  wait_until 10 has_chain "$svc"
  pid=$(daemon_pid proxyrules)
  kill -TERM "$pid"
  wait_until 10 bash -c "! kill -0 $pid 2>/dev/null"
  has_chain "$svc"
  grep -q "Shutting down" "$BATS_TEST_TMPDIR/proxyrules.log"
}
