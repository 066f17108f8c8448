#!/usr/bin/env bats
# schedule run as the cluster's scheduler, in a cluster brought up by
# scripts/cluster-up (apiserve + schedule with leader election), driven by
# the real kubectl: pods are bound to nodes that fit, an unschedulable pod
# carries upstream's FailedScheduling event and PodScheduled condition and
# is bound once a node that fits appears, metrics are served, and of two
# instances with --leader-elect only the Lease holder schedules.

load '../helpers'

setup_file() {
  export KUBIX_CLUSTER_DIR="$BATS_FILE_TMPDIR/cluster"
  APISERVE_PORT=$(free_port)
  export APISERVE_PORT
  "$KUBIX_TOP/scripts/cluster-up" >"$BATS_FILE_TMPDIR/cluster-up.out" 2>&1 ||
    { cat "$BATS_FILE_TMPDIR/cluster-up.out" >&2; return 1; }
  export KUBECONFIG="$KUBIX_CLUSTER_DIR/kubeconfig"
  export KUBECACHEDIR="$BATS_FILE_TMPDIR/kubecache"
  SCHED_PORT=$(cat "$KUBIX_CLUSTER_DIR/schedule.port")
  export SCHED_PORT
  # Three nodes: 4 CPUs, 1 CPU, and 8 CPUs behind a NoSchedule taint.
  node big 4
  node small 1
  node tainted 8 '[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]'
}

teardown_file() {
  "$KUBIX_TOP/scripts/cluster-down" >/dev/null 2>&1 || true
}

teardown() {
  stop_daemons
  if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
    show_logs
    echo "--- schedule.log"
    tail -n 30 "$KUBIX_CLUSTER_DIR/schedule.log" || true
  fi
}

k() { kubectl --request-timeout=20s "$@"; }

# node NAME CPUS [TAINTS]: a Ready Node with that much allocatable CPU, as a
# kubelet registers it (reconcile's node lifecycle controller taints a node
# that never reported Ready; this one has a fresh heartbeat, good for the
# controller's grace period, far longer than this suite).
node() {
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  k create -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Node",
 "metadata": {"name": "$1", "labels": {"kubernetes.io/hostname": "$1"}},
 "spec": {"taints": ${3:-[]}},
 "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                            "lastHeartbeatTime": "$now", "lastTransitionTime": "$now"}],
            "capacity": {"cpu": "$2", "memory": "16Gi", "pods": "110"},
            "allocatable": {"cpu": "$2", "memory": "16Gi", "pods": "110"}}}
EOF
}

# pod NAME CPUS [SCHEDULER]: a pending pod requesting that much CPU.
pod() {
  k create -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "$1"},
 "spec": {"schedulerName": "${3:-default-scheduler}",
          "containers": [{"name": "c", "image": "registry.k8s.io/pause:3.10",
                          "resources": {"requests": {"cpu": "$2"}}}]}}
EOF
}

node_of() { k get pod "$1" -o jsonpath='{.spec.nodeName}'; }
bound() { [ -n "$(node_of "$1")" ]; }
# event_note POD REASON: the message of POD's latest event with REASON.
event_note() {
  k get events -o json | jq -er --arg p "$1" --arg r "$2" \
    '[.items[] | select(.involvedObject.name == $p and .reason == $r)] | last | .message'
}
metric() { curl -sf "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m {print $2}'; }
leads() { [ "$(metric "$1" 'leader_election_master_status{name="kube-scheduler"}')" = 1 ]; }

@test "pods are bound to nodes that fit, with the Scheduled event" {
  pod fits-big 3
  pod fits-any 500m
  wait_until 20 bound fits-big
  wait_until 20 bound fits-any
  [ "$(node_of fits-big)" = big ]
  # The tainted node is never chosen; small has room for half a CPU.
  [[ "$(node_of fits-any)" =~ ^(big|small)$ ]]
  wait_until 10 event_note fits-big Scheduled
  [ "$(event_note fits-big Scheduled)" = "Successfully assigned default/fits-big to big" ]
  # PodScheduled is the kubelet's to set True; the binding is the API server's.
  run k get pod fits-big -o jsonpath='{.spec.nodeName}'
  assert_output big
}

@test "an unschedulable pod gets upstream's FailedScheduling event and condition, then a node that fits" {
  # 3.5 CPUs: more than small has at all (preemption cannot help there, as
  # upstream's Fit says since requests above allocatable are unresolvable),
  # more than big has free (and no lower-priority pod to evict).
  pod too-big 3500m
  wait_until 20 event_note too-big FailedScheduling
  local want="0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
  run event_note too-big FailedScheduling
  assert_output "$want"
  run k get events -o json
  [ "$(jq -r '[.items[] | select(.involvedObject.name == "too-big")][0] | .type + " " + .source.component' <<<"$output")" = "Warning default-scheduler" ]
  cond() { k get pod too-big -o json | jq -e '.status.conditions[] | select(.type == "PodScheduled")'; }
  wait_until 10 cond
  run cond
  [ "$(jq -r '.status + " " + .reason' <<<"$output")" = "False Unschedulable" ]
  [ "$(jq -r .message <<<"$output")" = "$want" ]
  ! bound too-big
  # A Node add moves it out of the unschedulable pool.
  node huge 16
  wait_until 20 bound too-big
  [ "$(node_of too-big)" = huge ]
}

@test "pods of another scheduler are left alone" {
  pod other 100m my-other-scheduler
  pod after-other 100m
  wait_until 20 bound after-other
  ! bound other
  [ -z "$(k get events -o json | jq -r '.items[] | select(.involvedObject.name == "other") | .reason')" ]
}

@test "/healthz, /readyz and upstream's metrics" {
  run curl -sf "http://127.0.0.1:$SCHED_PORT/healthz"
  assert_output ok
  run curl -sf "http://127.0.0.1:$SCHED_PORT/readyz"
  assert_success
  run curl -sf "http://127.0.0.1:$SCHED_PORT/metrics"
  assert_success
  assert_line --regexp '^scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [1-9]'
  assert_line --regexp '^scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} [1-9]'
  assert_line --regexp '^scheduler_scheduling_attempt_duration_seconds_bucket\{result="scheduled",profile="default-scheduler",le="0.001"\} '
  assert_line --regexp '^scheduler_pending_pods\{queue="active"\} 0$'
  assert_line --regexp '^scheduler_pending_pods\{queue="unschedulable"\} [0-9]+$'
  assert_line 'leader_election_master_status{name="kube-scheduler"} 1'
}

@test "two instances with --leader-elect: only the Lease holder schedules; the other takes over" {
  local port
  port=$(free_port)
  start_daemon standby schedule run --kubeconfig "$KUBECONFIG" --leader-elect \
    --leader-elect-lease-duration 3s --leader-elect-renew-deadline 2s --leader-elect-retry-period 200ms \
    --bind-address 127.0.0.1 --secure-port "$port"
  wait_until 20 curl -sf "http://127.0.0.1:$port/readyz"
  [ "$(metric "$port" 'leader_election_master_status{name="kube-scheduler"}')" = 0 ]
  local holder
  holder=$(k get lease -n kube-system kube-scheduler -o jsonpath='{.spec.holderIdentity}')
  [ -n "$holder" ]
  pod while-standby 100m
  wait_until 20 bound while-standby
  # The standby attempted nothing.
  [ -z "$(metric "$port" 'scheduler_schedule_attempts_total{result="scheduled",profile="default-scheduler"}')" ]
  # The leader stops and releases the Lease; the standby takes over.
  kill -TERM "$(cat "$KUBIX_CLUSTER_DIR/schedule.pid")"
  wait_until 20 leads "$port"
  [ "$(k get lease -n kube-system kube-scheduler -o jsonpath='{.spec.holderIdentity}')" != "$holder" ]
  pod after-failover 100m
  wait_until 20 bound after-failover
  [ "$(metric "$port" 'scheduler_schedule_attempts_total{result="scheduled",profile="default-scheduler"}')" = 1 ]
}
