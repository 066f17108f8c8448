#!/usr/bin/env bats
# proxyrules end to end with the blob backend (the cached ipt_replace image), in network namespaces.

load '../helpers'
load 'network'

BACKEND=blob

setup_file() { net_setup; }
teardown_file() { net_teardown; }
setup() {
  [ -f "$BATS_FILE_TMPDIR/prefix" ] || skip "no network namespaces (needs root)"
  PRX=$(cat "$BATS_FILE_TMPDIR/prefix")
  NODE=$PRX-node POD1=$PRX-pod1 POD2=$PRX-pod2 EXT=$PRX-ext
  export XTABLES_LOCKFILE="$BATS_FILE_TMPDIR/xtables.lock"
  net_test_setup
}
teardown() { [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs; }

@test "blob: ClusterIP from the node reaches both backends" { scenario_cluster_ip_from_node_reaches_both; }
@test "blob: ClusterIP from a pod reaches both backends, itself by hairpin" { scenario_cluster_ip_from_pod_hairpin; }
@test "blob: NodePort reaches both backends through the node's IP" { scenario_node_port_through_node_ip; }
@test "blob: ClientIP affinity pins a client to one backend" { scenario_client_ip_affinity_pins; }
@test "blob: a service without endpoints is refused at once" { scenario_no_endpoints_refused_at_once; }
@test "blob: a removed endpoint gets no traffic after one sync" { scenario_removed_endpoint_gets_no_traffic; }
@test "blob: a failed restore leaves the previous rules in place" { scenario_failed_restore_keeps_previous_rules; }
@test "blob: cleanup removes every rule and chain" { scenario_cleanup_removes_everything; }

# foreign_rules: what another program (docker, an admin) put in the node's tables.
foreign_rules() {
  ip netns exec "$NODE" iptables-legacy -w -t nat -N DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -A DOCKER -i docker0 -j RETURN
  ip netns exec "$NODE" iptables-legacy -w -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t filter -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
}

# save_to FILE: the node's legacy tables without counters.
save_to() {
  ip netns exec "$NODE" iptables-legacy-save | grep -E '^(\*|:|-A)' | sed 's/ \[[0-9]*:[0-9]*\]$//' >"$1"
}

@test "blob: installs exactly what iptables-legacy-restore installs, keeping others' chains" {
  local args=(-f "$KUBIX_TOP/tests/proxyrules/overall.yaml" --hostname-override test-node
    --node-ip 192.168.0.2 --cluster-cidr 10.0.0.0/8)
  foreign_rules
  ip netns exec "$NODE" proxyrules apply "${args[@]}" --backend blob
  save_to "$BATS_TEST_TMPDIR/blob"
  # Once more over its own rules: nothing changes.
  ip netns exec "$NODE" proxyrules apply "${args[@]}" --backend blob
  save_to "$BATS_TEST_TMPDIR/blob2"
  ip netns exec "$NODE" proxyrules cleanup --backend blob
  ip netns exec "$NODE" iptables-legacy -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -F DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -X DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t filter -D INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
  foreign_rules
  ip netns exec "$NODE" proxyrules apply "${args[@]}" --backend iptables-legacy-restore
  save_to "$BATS_TEST_TMPDIR/restore"
  grep -q 'KUBE-SEP-I77PXRDZVX7PMWMN' "$BATS_TEST_TMPDIR/blob"
  grep -q -- '-A DOCKER -i docker0 -j RETURN' "$BATS_TEST_TMPDIR/blob"
  grep -q -- '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT' "$BATS_TEST_TMPDIR/blob"
  diff "$BATS_TEST_TMPDIR/restore" "$BATS_TEST_TMPDIR/blob"
  diff "$BATS_TEST_TMPDIR/blob" "$BATS_TEST_TMPDIR/blob2"
  ip netns exec "$NODE" iptables-legacy -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -F DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -X DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t filter -D INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
}

@test "blob: counters of others' rules survive a sync" {
  foreign_rules
  # Count some packets on the foreign INPUT rule.
  ip netns exec "$NODE" iptables-legacy -w -t filter -I INPUT -i lo -p tcp --dport 9 -j ACCEPT
  ip netns exec "$NODE" curl -s --max-time 1 http://127.0.0.1:9/ || true
  local before
  before=$(ip netns exec "$NODE" iptables-legacy -w -t filter -L INPUT -v -x -n | awk '$NF=="dpt:9" {print $1}')
  [ "$before" -gt 0 ]
  apply_rules
  run ip netns exec "$NODE" iptables-legacy -w -t filter -L INPUT -v -x -n
  [ "$(awk '$NF=="dpt:9" {print $1}' <<<"$output")" -ge "$before" ]
  ip netns exec "$NODE" iptables-legacy -w -t filter -D INPUT -i lo -p tcp --dport 9 -j ACCEPT
  ip netns exec "$NODE" proxyrules cleanup --backend blob
  ip netns exec "$NODE" iptables-legacy -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -F DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t nat -X DOCKER
  ip netns exec "$NODE" iptables-legacy -w -t filter -D INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
}
