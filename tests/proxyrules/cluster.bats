#!/usr/bin/env bats
# proxyrules in a cluster from scripts/cluster-up, with nodeagent running the
# pods as processes in network namespaces: a Service's ClusterIP reaches its
# pods from the node and from another pod, the rules follow the EndpointSlice,
# and `kubectl get svc,endpointslices -A -o json | proxyrules render -f -`
# works against the live cluster.
#
# The whole cluster runs in one network namespace created here (the node's),
# so no rule and no address touches this machine's own network. The pods
# name their node (spec.nodeName), so no scheduler is needed, and the Service
# has no selector: its EndpointSlice is the one the test writes, whether or
# not an endpointslice controller runs in the cluster. cluster-up runs proxyrules
# through its PROXYRULES_NODE hook.

load '../helpers'
bats_require_minimum_version 1.5.0

NODE=node1
POD_CIDR=10.244.1.0/24

setup_file() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, iptables, cgroups)"
  for t in apiserve nodeagent proxyrules; do
    command -v "$t" >/dev/null || skip "$t is not built"
  done
  export NS="prc$(printf '%04x' $RANDOM)$$"
  export KUBIX_CLUSTER_DIR="$BATS_FILE_TMPDIR/cluster" APISERVE_PORT=6443
  export KUBECONFIG="$KUBIX_CLUSTER_DIR/kubeconfig" KUBECACHEDIR="$BATS_FILE_TMPDIR/kubecache"
  export NA_ROOT="$BATS_FILE_TMPDIR/node" NA_CGROUP="kubix-bats-$$-$RANDOM"
  ip netns add "$NS"
  echo "$NS" >"$BATS_FILE_TMPDIR/ns"
  # The node: loopback, and an uplink with the node's address and a default
  # route (a node has one: traffic to cluster IPs is routed before it is
  # DNATed to a pod).
  ip -n "$NS" link set lo up
  ip -n "$NS" link add uplink type veth peer name uplink-peer
  ip -n "$NS" link set uplink-peer up
  ip -n "$NS" addr add 192.168.77.2/24 dev uplink
  ip -n "$NS" link set uplink up
  ip -n "$NS" route add default dev uplink
  # Every daemon started here closes bats' fd 3, or bats would wait for it.
  in_node env PROXYRULES_NODE="$NODE" "$KUBIX_TOP/scripts/cluster-up" >"$BATS_FILE_TMPDIR/cluster-up.out" 2>&1 3>&- || {
    cat "$BATS_FILE_TMPDIR/cluster-up.out" >&3
    return 1
  }
  # nsenter execs nodeagent (no fork for a network namespace): $! is its pid.
  nsenter "--net=/run/netns/$NS" nodeagent --kubeconfig "$KUBECONFIG" --hostname-override "$NODE" --node-ip 192.168.77.2 \
    --root-dir "$NA_ROOT" --cgroup-root "$NA_CGROUP" --address 127.0.0.1 --port 10250 \
    --pod-network netns --pod-cidr "$POD_CIDR" --node-status-update-frequency 1s -v 1 \
    >"$BATS_FILE_TMPDIR/nodeagent.log" 2>&1 3>&- &
  echo $! >"$BATS_FILE_TMPDIR/nodeagent.pid"
  wait_until 30 k get node "$NODE"
}

teardown_file() {
  local pid ns
  pid=$(cat "$BATS_FILE_TMPDIR/nodeagent.pid" 2>/dev/null) && {
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  }
  ns=$(cat "$BATS_FILE_TMPDIR/ns" 2>/dev/null) || return 0
  nsenter "--net=/run/netns/$ns" nodeagent reset --root-dir "$NA_ROOT" --cgroup-root "$NA_CGROUP" >/dev/null 2>&1
  "$KUBIX_TOP/scripts/cluster-down" >/dev/null 2>&1
  ip netns del "$ns" 2>/dev/null
  ip netns del "$ns-r" 2>/dev/null
  true
}

teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] && return 0
  local f
  for f in "$KUBIX_CLUSTER_DIR/proxyrules-$NODE.log" "$BATS_FILE_TMPDIR/nodeagent.log" "$KUBIX_CLUSTER_DIR/apiserve.log"; do
    echo "--- $f"
    tail -n 40 "$f"
  done
}

# in_node CMD...: runs CMD in the node's network namespace (only the network:
# cgroups, mounts and /run/netns stay this machine's).
in_node() { nsenter "--net=/run/netns/$NS" "$@"; }
k() { in_node kubectl --request-timeout=20s "$@"; }

# web_pod NAME: a pod whose HTTP server on 8080 answers with its host name.
web_pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: web}}
spec:
  nodeName: $NODE
  containers:
  - name: http
    image: python
    command:
    - python3
    - -c
    - |
      import http.server, socket
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = socket.gethostname().encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
          def log_message(self, *args):
              pass
      http.server.HTTPServer(("", 8080), H).serve_forever()
    readinessProbe: {httpGet: {port: 8080}, periodSeconds: 1}
YAML
}

# wait_ready POD: waits until POD is Ready and prints its IP.
wait_pod_ready() {
  wait_until 60 bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl get pod $1 \
    -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]" || return 1
  k get pod "$1" -o jsonpath='{.status.podIP}'
}

# slice IP...: the EndpointSlice of service web with these ready endpoints.
slice() {
  local ip eps=""
  for ip in "$@"; do
    eps+="{\"addresses\": [\"$ip\"], \"nodeName\": \"$NODE\", \"conditions\": {\"ready\": true}},"
  done
  cat <<JSON
{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
 "metadata": {"name": "web-1", "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
 "addressType": "IPv4", "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
 "endpoints": [${eps%,}]}
JSON
}

# answers FROM-CMD N: the distinct answers of N requests to the ClusterIP.
answers() {
  local i
  for ((i = 0; i < $2; i++)); do
    $1 curl -s --max-time 2 "http://$(cat "$BATS_FILE_TMPDIR/cluster-ip"):80/" || echo "(failed)"
    echo
  done | sort -u | paste -sd' '
}

@test "cluster-up runs proxyrules as the node's kube-proxy" {
  grep -q "proxyrules is node $NODE's kube-proxy" "$BATS_FILE_TMPDIR/cluster-up.out"
  [ -s "$KUBIX_CLUSTER_DIR/proxyrules-$NODE.pid" ]
  run in_node iptables-save
  assert_output --partial ":KUBE-SERVICES - [0:0]"
  assert_output --partial ":KUBE-PROXY-CANARY - [0:0]"
  # The kubernetes Service apiserve creates has its rules already.
  assert_output --partial '"default/kubernetes:https'
}

@test "a Service's ClusterIP reaches pods nodeagent runs in network namespaces" {
  web_pod web-1 | k apply -f -
  web_pod web-2 | k apply -f -
  k apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: $NODE
  containers:
  - {name: c, image: busybox, command: [sleep, infinity]}
YAML
  k apply -f - <<YAML
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
YAML
  ip1=$(wait_pod_ready web-1)
  ip2=$(wait_pod_ready web-2)
  cip=$(k get svc web -o jsonpath='{.spec.clusterIP}')
  [[ $ip1 == 10.244.1.* && $ip2 == 10.244.1.* && -n $cip ]]
  echo "$cip" >"$BATS_FILE_TMPDIR/cluster-ip"
  echo "$ip1 $ip2" >"$BATS_FILE_TMPDIR/pod-ips"
  slice "$ip1" "$ip2" | k apply -f -

  # From the node: both pods answer.
  wait_until 20 bash -c "[ -n \"\$(nsenter --net=/run/netns/$NS curl -s --max-time 1 http://$cip/)\" ]"
  run answers in_node 40
  assert_output "web-1 web-2"

  # From another pod (its own namespace, through the node's bridge).
  wait_until 30 bash -c "[ -n \"\$(nsenter --net=/run/netns/$NS kubectl get pod client -o jsonpath='{.status.podIP}')\" ]"
  uid=$(k get pod client -o jsonpath='{.metadata.uid}')
  [ -e "/run/netns/kubix-$uid" ]
  from_client() { nsenter "--net=/run/netns/kubix-$uid" "$@"; }
  run answers from_client 40
  assert_output "web-1 web-2"
}

@test "kubectl get svc,endpointslices -A -o json | proxyrules render -f - works on the live cluster" {
  read -r ip1 ip2 <"$BATS_FILE_TMPDIR/pod-ips"
  svc=$(proxyrules hash default/web:http | sed -n 's/.*\(KUBE-SVC-[A-Z0-9]*\).*/\1/p' | head -n 1)
  [ -n "$svc" ]
  k get svc,endpointslices -A -o json >"$BATS_TEST_TMPDIR/objects.json"
  run proxyrules render -f "$BATS_TEST_TMPDIR/objects.json" --hostname-override "$NODE" --cluster-cidr 10.244.0.0/16
  assert_success
  assert_output --partial "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d $(cat "$BATS_FILE_TMPDIR/cluster-ip") --dport 80 -j $svc"
  assert_output --partial "-j DNAT --to-destination $ip1:8080"
  assert_output --partial "-j DNAT --to-destination $ip2:8080"
  # The same pipe, as the issue writes it; and the rules the daemon installed
  # are the ones render gives for the same objects.
  run bash -c "nsenter --net=/run/netns/$NS kubectl get svc,endpointslices -A -o json | proxyrules render -f - --hostname-override $NODE --cluster-cidr 10.244.0.0/16 | grep -c '^-A'"
  assert_success
  [ "$output" -gt 10 ]
  run in_node proxyrules diff --exit-code -f "$BATS_TEST_TMPDIR/objects.json" --hostname-override "$NODE" --cluster-cidr 10.244.0.0/16
  assert_success
  # The whole pipe, into the system's iptables-restore --noflush, in a
  # scratch network namespace: the rules install and read back.
  ip netns add "$NS-r"
  run bash -c "set -o pipefail; nsenter --net=/run/netns/$NS kubectl get svc,endpointslices -A -o json |
    proxyrules render -f - --hostname-override $NODE --cluster-cidr 10.244.0.0/16 |
    ip netns exec $NS-r iptables-restore --noflush"
  assert_success
  run ip netns exec "$NS-r" iptables-save -t nat
  ip netns del "$NS-r"
  assert_line --regexp "^-A $svc .* -j KUBE-SEP-[A-Z0-9]{16}\$"
  assert_output --partial -- "--to-destination $ip1:8080"
  assert_output --partial -- "--to-destination $ip2:8080"
}

@test "the rules follow the EndpointSlice and the Service" {
  read -r ip1 _ <"$BATS_FILE_TMPDIR/pod-ips"
  slice "$ip1" | k apply -f -
  # Within a sync (min-sync-period 1 s; slack for a loaded CI machine), only web-1 answers.
  wait_until 10 bash -c "! nsenter --net=/run/netns/$NS iptables-save -t nat | grep -q 'default/web:http.*DNAT.*$(cut -d' ' -f2 "$BATS_FILE_TMPDIR/pod-ips")'"
  run answers in_node 20
  assert_output "web-1"
  k delete svc web
  wait_until 10 bash -c "! nsenter --net=/run/netns/$NS iptables-save -t nat | grep -q 'default/web:http'"
}

@test "cluster-down stops proxyrules and removes its rules" {
  "$KUBIX_TOP/scripts/cluster-down"
  [ ! -e "$KUBIX_CLUSTER_DIR/proxyrules-$NODE.pid" ]
  # Everything but kubelet's KUBE-FIREWALL, which kube-proxy's cleanup
  # leaves to kubelet too.
  run bash -c "nsenter --net=/run/netns/$NS iptables-save | grep KUBE- | grep -v KUBE-FIREWALL"
  assert_output ""
}
