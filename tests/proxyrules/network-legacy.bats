#!/usr/bin/env bats
# proxyrules end to end with the iptables-legacy-restore backend, in network namespaces.

load '../helpers'
load 'network'

BACKEND=iptables-legacy-restore

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

@test "legacy: ClusterIP from the node reaches both backends" { scenario_cluster_ip_from_node_reaches_both; }
@test "legacy: ClusterIP from a pod reaches both backends, itself by hairpin" { scenario_cluster_ip_from_pod_hairpin; }
@test "legacy: NodePort reaches both backends through the node's IP" { scenario_node_port_through_node_ip; }
@test "legacy: ClientIP affinity pins a client to one backend" { scenario_client_ip_affinity_pins; }
@test "legacy: a service without endpoints is refused at once" { scenario_no_endpoints_refused_at_once; }
@test "legacy: a removed endpoint gets no traffic after one sync" { scenario_removed_endpoint_gets_no_traffic; }
@test "legacy: a failed restore leaves the previous rules in place" { scenario_failed_restore_keeps_previous_rules; }
@test "legacy: cleanup removes every rule and chain" { scenario_cleanup_removes_everything; }

@test "auto: installs rules of the system's iptables flavour" {
  BACKEND=auto apply_rules
  local save=iptables-legacy-save
  iptables --version | grep -q nf_tables && save=iptables-nft-save
  run ip netns exec "$NODE" "$save" -t nat
  assert_output --partial ":KUBE-SERVICES"
  run hits "$EXT" http://10.96.0.10/ 10
  refute_output --partial FAILED
  # kube-proxy's --cleanup flag, with the same automatic backend.
  run ip netns exec "$NODE" proxyrules --cleanup
  assert_success
  run ip netns exec "$NODE" "$save"
  refute_output --partial KUBE-SERVICES
  refute_output --partial KUBE-SVC-
  refute_output --partial KUBE-MARK-MASQ
}
