#!/usr/bin/env bats
# proxyrules end to end with the libiptc backend, in network namespaces.

load '../helpers'
load 'network'

BACKEND=libiptc

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

@test "libiptc: ClusterIP from the node reaches both backends" { scenario_cluster_ip_from_node_reaches_both; }
@test "libiptc: ClusterIP from a pod reaches both backends, itself by hairpin" { scenario_cluster_ip_from_pod_hairpin; }
@test "libiptc: NodePort reaches both backends through the node's IP" { scenario_node_port_through_node_ip; }
@test "libiptc: ClientIP affinity pins a client to one backend" { scenario_client_ip_affinity_pins; }
@test "libiptc: a service without endpoints is refused at once" { scenario_no_endpoints_refused_at_once; }
@test "libiptc: a removed endpoint gets no traffic after one sync" { scenario_removed_endpoint_gets_no_traffic; }
@test "libiptc: a failed restore leaves the previous rules in place" { scenario_failed_restore_keeps_previous_rules; }
@test "libiptc: cleanup removes every rule and chain" { scenario_cleanup_removes_everything; }

@test "libiptc: installs exactly what iptables-legacy-restore installs" {
  local args=(-f "$KUBIX_TOP/tests/proxyrules/overall.yaml" --hostname-override test-node
    --node-ip 192.168.0.2 --cluster-cidr 10.0.0.0/8)
  ip netns exec "$NODE" proxyrules apply "${args[@]}" --backend libiptc
  ip netns exec "$NODE" iptables-legacy-save | grep -E '^(\*|:|-A)' | sed 's/ \[[0-9]*:[0-9]*\]$//' >"$BATS_TEST_TMPDIR/libiptc"
  ip netns exec "$NODE" proxyrules cleanup --backend libiptc
  ip netns exec "$NODE" proxyrules apply "${args[@]}" --backend iptables-legacy-restore
  ip netns exec "$NODE" iptables-legacy-save | grep -E '^(\*|:|-A)' | sed 's/ \[[0-9]*:[0-9]*\]$//' >"$BATS_TEST_TMPDIR/restore"
  grep -q 'KUBE-SEP-I77PXRDZVX7PMWMN' "$BATS_TEST_TMPDIR/libiptc"
  diff "$BATS_TEST_TMPDIR/restore" "$BATS_TEST_TMPDIR/libiptc"
}
