# Network scenarios for proxyrules, run against one backend ($BACKEND) by
# network-*.bats. Everything happens in namespaces created here: a "node"
# with bridge br0 (10.244.0.1/24), ext0 (192.168.77.1/24) towards an "ext"
# client (192.168.77.2) and a dummy uplink; two "pods" (10.244.0.2,
# 10.244.0.3) serving HTTP on 8080 with their own name. No traffic leaves
# these namespaces.

NODE_IP=192.168.77.1

# net_setup: creates the namespaces and servers (call from setup_file).
net_setup() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
  command -v python3 >/dev/null || skip "needs python3 for the HTTP servers"
  PRX="prx$(printf '%04x' $((RANDOM)))$$"
  # Our own xtables lock (the namespaces are ours alone): iptables runs of
  # other suites and benchmarks must not make these tests wait.
  export XTABLES_LOCKFILE="$BATS_FILE_TMPDIR/xtables.lock"
  export PRX NODE="$PRX-node" POD1="$PRX-pod1" POD2="$PRX-pod2" EXT="$PRX-ext"
  echo "$PRX" >"$BATS_FILE_TMPDIR/prefix"
  local ns
  for ns in "$NODE" "$POD1" "$POD2" "$EXT"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  ip netns exec "$NODE" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$NODE" link add br0 type bridge
  ip -n "$NODE" addr add 10.244.0.1/24 dev br0
  ip -n "$NODE" link set br0 up
  local i pod
  for i in 1 2; do
    pod=$PRX-pod$i
    ip -n "$NODE" link add "veth$i" type veth peer name eth0 netns "$pod"
    ip -n "$NODE" link set "veth$i" master br0 up
    # As the CNI bridge plugin's hairpinMode: a pod reaching itself through
    # its service leaves and re-enters the bridge on the same port.
    ip -n "$NODE" link set "veth$i" type bridge_slave hairpin on
    ip -n "$pod" addr add "10.244.0.$((i + 1))/24" dev eth0
    ip -n "$pod" link set eth0 up
    ip -n "$pod" route add default via 10.244.0.1
    mkdir -p "$BATS_FILE_TMPDIR/www$i"
    echo "pod$i" >"$BATS_FILE_TMPDIR/www$i/index.html"
    ip netns exec "$pod" python3 -m http.server 8080 --bind "10.244.0.$((i + 1))" \
      --directory "$BATS_FILE_TMPDIR/www$i" >"$BATS_FILE_TMPDIR/http$i.log" 2>&1 &
    echo $! >>"$BATS_FILE_TMPDIR/pids"
  done
  ip -n "$NODE" link add ext0 type veth peer name eth0 netns "$EXT"
  ip -n "$NODE" addr add "$NODE_IP/24" dev ext0
  ip -n "$NODE" link set ext0 up
  # The node's own uplink (a veth whose peer stays unconfigured in the node:
  # nothing is sent anywhere). A default
  # route back through ext0 would make the node answer a client's packets for
  # a cluster IP with ICMP redirects, which use up the ICMP rate limit the
  # REJECT of a service without endpoints then needs.
  ip -n "$NODE" link add uplink type veth peer name uplink-peer
  ip -n "$NODE" link set uplink-peer up
  ip -n "$NODE" addr add 192.168.88.1/24 dev uplink
  ip -n "$NODE" link set uplink up
  ip -n "$NODE" route add default via 192.168.88.254
  ip -n "$EXT" addr add 192.168.77.2/24 dev eth0
  ip -n "$EXT" link set eth0 up
  ip -n "$EXT" route add 10.96.0.0/12 via "$NODE_IP"
  for i in 1 2; do
    wait_until 10 ip netns exec "$NODE" curl -sf --max-time 1 "http://10.244.0.$((i + 1)):8080/"
  done
}

# net_teardown: kills the servers and deletes the namespaces, whatever happened.
net_teardown() {
  local pid prx ns
  if [ -f "$BATS_FILE_TMPDIR/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/pids"
  fi
  prx=$(cat "$BATS_FILE_TMPDIR/prefix" 2>/dev/null) || return 0
  for ns in node pod1 pod2 ext; do ip netns del "$prx-$ns" 2>/dev/null || true; done
}

# services_yaml [ENDPOINT_IPS...]: the test objects; "web" and "sticky" get
# the given pod IPs as endpoints (default both), "empty" none.
services_yaml() {
  local ips=("$@") ep eps=""
  [ ${#ips[@]} -gt 0 ] || ips=(10.244.0.2 10.244.0.3)
  for ep in "${ips[@]}"; do
    eps+="  - {addresses: [$ep], nodeName: node, conditions: {ready: true}}"$'\n'
  done
  cat <<YAML
apiVersion: v1
kind: Service
metadata: {namespace: default, name: web}
spec:
  type: NodePort
  clusterIP: 10.96.0.10
  ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {namespace: default, name: sticky}
spec:
  clusterIP: 10.96.0.11
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {namespace: default, name: empty}
spec:
  clusterIP: 10.96.0.12
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: web-1, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
$eps---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {namespace: default, name: sticky-1, labels: {kubernetes.io/service-name: sticky}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
$eps
YAML
}

# apply_rules [ENDPOINT_IPS...]: one sync of services_yaml into the node.
apply_rules() {
  services_yaml "$@" >"$BATS_TEST_TMPDIR/objects.yaml"
  ip netns exec "$NODE" proxyrules apply -f "$BATS_TEST_TMPDIR/objects.yaml" \
    --hostname-override node --node-ip "$NODE_IP" --cluster-cidr 10.244.0.0/16 --backend "$BACKEND"
}

# hits NS URL N: fetches URL N times from namespace NS, one body per line.
hits() {
  local ns=$1 url=$2 n=$3 i
  for ((i = 0; i < n; i++)); do
    ip netns exec "$ns" curl -s --max-time 2 "$url" || echo "FAILED"
  done
}

net_test_setup() {
  ip netns exec "$NODE" proxyrules cleanup --backend "$BACKEND" >/dev/null 2>&1 || true
  ip netns exec "$NODE" conntrack -F >/dev/null 2>&1 || true
}

scenario_cluster_ip_from_node_reaches_both() {
  apply_rules
  run hits "$NODE" http://10.96.0.10/ 30
  assert_output --partial pod1
  assert_output --partial pod2
  refute_output --partial FAILED
}

scenario_cluster_ip_from_pod_hairpin() {
  apply_rules
  # pod1 reaches both backends, itself (hairpin, masqueraded) included.
  run hits "$POD1" http://10.96.0.10/ 30
  assert_output --partial pod1
  assert_output --partial pod2
  refute_output --partial FAILED
  # The hairpin connection came back from the node, not from pod1 itself.
  grep -q '10.244.0.1 ' "$BATS_FILE_TMPDIR/http1.log"
}

scenario_node_port_through_node_ip() {
  apply_rules
  run hits "$EXT" "http://$NODE_IP:30080/" 30
  assert_output --partial pod1
  assert_output --partial pod2
  refute_output --partial FAILED
}

scenario_client_ip_affinity_pins() {
  apply_rules
  run hits "$EXT" http://10.96.0.11/ 15
  refute_output --partial FAILED
  [ "$(sort -u <<<"$output" | wc -l)" -eq 1 ]
  run hits "$NODE" http://10.96.0.11/ 15
  refute_output --partial FAILED
  [ "$(sort -u <<<"$output" | wc -l)" -eq 1 ]
}

scenario_no_endpoints_refused_at_once() {
  apply_rules
  local start end
  start=$(date +%s%N)
  run ip netns exec "$EXT" curl -s --max-time 5 http://10.96.0.12/
  end=$(date +%s%N)
  # 7 = connection refused: REJECT answered with an ICMP port unreachable.
  [ "$status" -eq 7 ]
  [ $(((end - start) / 1000000)) -lt 1000 ]
  run ip netns exec "$NODE" curl -s --max-time 5 http://10.96.0.12/
  [ "$status" -eq 7 ]
}

# saved_rules: the node's rules as this backend's iptables-save prints them,
# without the timestamps and counters that change by themselves.
saved_rules() {
  local save=iptables-legacy-save
  [ "$BACKEND" = iptables-nft-restore ] && save=iptables-nft-save
  ip netns exec "$NODE" "$save" | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
}

scenario_removed_endpoint_gets_no_traffic() {
  apply_rules
  run hits "$EXT" http://10.96.0.10/ 20
  assert_output --partial pod2
  # diff first shows what the sync will change, and changes nothing itself.
  local before sep2
  before=$(saved_rules)
  sep2=$(proxyrules hash default/web:http --endpoint 10.244.0.3:8080 | tail -n1)
  services_yaml 10.244.0.2 >"$BATS_TEST_TMPDIR/next.yaml"
  run ip netns exec "$NODE" proxyrules diff -f "$BATS_TEST_TMPDIR/next.yaml" --hostname-override node \
    --node-ip "$NODE_IP" --cluster-cidr 10.244.0.0/16 --backend "$BACKEND" --exit-code
  assert_failure 1
  assert_line "@@ nat $sep2 (deleted) @@"
  # Removed lines are "-" and a rule as iptables-save prints it.
  assert_line -- "--A $sep2 -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination 10.244.0.3:8080"
  assert_line --regexp "^--A KUBE-SVC-[A-Z0-9]{16} .* -j $sep2\$"
  [ "$(saved_rules)" = "$before" ]
  # One sync later pod2 is gone from the rules...
  apply_rules 10.244.0.2
  run hits "$EXT" http://10.96.0.10/ 20
  refute_output --partial pod2
  refute_output --partial FAILED
  # ...and its chain was deleted, not just unlinked.
  run ip netns exec "$NODE" proxyrules diff -f "$BATS_TEST_TMPDIR/objects.yaml" --hostname-override node \
    --node-ip "$NODE_IP" --cluster-cidr 10.244.0.0/16 --backend "$BACKEND" --exit-code
  assert_success
  assert_output ""
}

scenario_failed_restore_keeps_previous_rules() {
  apply_rules
  cp "$BATS_TEST_TMPDIR/objects.yaml" "$BATS_TEST_TMPDIR/good.yaml"
  # nfacct matches need counters nobody created here: the restore fails.
  services_yaml 10.244.0.2 >"$BATS_TEST_TMPDIR/objects.yaml"
  run ip netns exec "$NODE" proxyrules apply -f "$BATS_TEST_TMPDIR/objects.yaml" --nfacct \
    --hostname-override node --node-ip "$NODE_IP" --cluster-cidr 10.244.0.0/16 --backend "$BACKEND"
  assert_failure 1
  assert_output --partial "proxyrules: "
  # Nothing changed: both endpoints still get traffic.
  run ip netns exec "$NODE" proxyrules diff -f "$BATS_TEST_TMPDIR/good.yaml" --hostname-override node \
    --node-ip "$NODE_IP" --cluster-cidr 10.244.0.0/16 --backend "$BACKEND" --exit-code
  assert_success
  run hits "$EXT" http://10.96.0.10/ 30
  assert_output --partial pod1
  assert_output --partial pod2
}

scenario_cleanup_removes_everything() {
  apply_rules
  ip netns exec "$NODE" proxyrules cleanup --backend "$BACKEND"
  local save=iptables-legacy-save
  [ "$BACKEND" = iptables-nft-restore ] && save=iptables-nft-save
  run ip netns exec "$NODE" "$save"
  refute_output --partial KUBE-SERVICES
  refute_output --partial KUBE-SVC-
  refute_output --partial KUBE-SEP-
  refute_output --partial KUBE-MARK-MASQ
  refute_output --partial KUBE-PROXY-CANARY
  # Traffic to the service no longer gets DNATed.
  run ip netns exec "$EXT" curl -s --max-time 1 http://10.96.0.10/
  assert_failure
}
