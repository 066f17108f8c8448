#!/usr/bin/env bats
# nodeagent in a cluster from scripts/cluster-up (KUBIX_NODES=2), driven by
# an unmodified kubectl through apiserve: nodes register and go Ready, a pod
# runs as a process with a pod IP, `kubectl logs [-f] [--previous]` and
# `kubectl exec` (with stdin, exit codes, -it) go through apiserve's node
# proxy, pods on two nodes reach each other, and deleting a pod stops its
# process with SIGTERM.
#
# The cluster runs in a network namespace made here, so the nodes' bridges,
# routes and pod namespaces never touch this machine's network. cluster-up
# starts no scheduler yet: the pods name their node (spec.nodeName).

load '../helpers'
bats_require_minimum_version 1.5.0

setup_file() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, cgroups)"
  for t in apiserve nodeagent; do
    command -v "$t" >/dev/null || skip "$t is not built"
  done
  export NS="nac$(printf '%04x' $RANDOM)$$"
  export KUBIX_CLUSTER_DIR="$BATS_FILE_TMPDIR/cluster" APISERVE_PORT=6443 KUBIX_NODES=2
  export KUBECONFIG="$KUBIX_CLUSTER_DIR/kubeconfig" KUBECACHEDIR="$BATS_FILE_TMPDIR/kubecache"
  export OUT="$BATS_FILE_TMPDIR/out"
  mkdir -p "$OUT"
  ip netns add "$NS"
  echo "$NS" >"$BATS_FILE_TMPDIR/ns"
  ip -n "$NS" link set lo up
  # Every daemon started here closes bats' fd 3, or bats would wait for it.
  in_node "$KUBIX_TOP/scripts/cluster-up" >"$BATS_FILE_TMPDIR/cluster-up.out" 2>&1 3>&- || {
    cat "$BATS_FILE_TMPDIR/cluster-up.out" >&3
    return 1
  }
}

teardown_file() {
  local ns
  ns=$(cat "$BATS_FILE_TMPDIR/ns" 2>/dev/null) || return 0
  in_node "$KUBIX_TOP/scripts/cluster-down" >/dev/null 2>&1
  ip netns del "$ns" 2>/dev/null
  true
}

teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] && return 0
  local f
  for f in "$KUBIX_CLUSTER_DIR"/nodeagent-node*.log "$KUBIX_CLUSTER_DIR/apiserve.log"; do
    echo "--- $f"
    tail -n 30 "$f"
  done
}

in_node() { nsenter "--net=/run/netns/$NS" "$@"; }
k() { in_node kubectl --request-timeout=20s "$@"; }

# pod_field POD JSONPATH
pod_field() { k get pod "$1" -o jsonpath="$2"; }
# wait_phase SECS POD PHASE
wait_phase() {
  wait_until "$1" bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl get pod $2 -o jsonpath='{.status.phase}')\" = $3 ]"
}

@test "cluster-up starts two node agents that register Ready nodes" {
  grep -q "nodeagent runs node node1" "$BATS_FILE_TMPDIR/cluster-up.out"
  grep -q "nodeagent runs node node2" "$BATS_FILE_TMPDIR/cluster-up.out"
  wait_until 30 bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}')\" = 'node1=True node2=True ' ]"
  run k get lease -n kube-node-lease -o name
  assert_output $'lease.coordination.k8s.io/node1\nlease.coordination.k8s.io/node2'
}

@test "a pod runs; kubectl logs, logs -f and logs --previous go through apiserve" {
  k apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  nodeName: node1
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'echo started; i=0; while true; do echo tick \$i; i=\$((i+1)); sleep 0.2; done']
YAML
  wait_phase 30 ticker Running
  [[ $(pod_field ticker '{.status.podIP}') == 10.244.1.* ]]
  wait_until 10 bash -c "nsenter --net=/run/netns/$NS kubectl logs ticker | grep -q 'tick 1'"
  run k logs ticker --tail=1
  assert_output --regexp '^tick [0-9]+$'
  run k logs ticker -c nope
  assert_failure
  assert_output --partial 'container nope is not valid for pod ticker'
  # -f streams: lines keep coming after the command started.
  run timeout 2 nsenter "--net=/run/netns/$NS" kubectl logs -f ticker --since=1s
  first=$(head -n 1 <<<"$output" | cut -d' ' -f2)
  last=$(tail -n 1 <<<"$output" | cut -d' ' -f2)
  ((last - first >= 5))

  # --previous: the container's run before its restart.
  k apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: restarts}
spec:
  nodeName: node2
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'n=\$(cat /data/n 2>/dev/null || echo 0); echo run \$n; echo \$((n+1)) >/data/n; [ \$n -ge 1 ] && exec sleep 100000; exit 3']
    volumeMounts: [{name: data, mountPath: /data}]
YAML
  wait_until 40 bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl get pod restarts -o jsonpath='{.status.containerStatuses[0].restartCount}')\" = 1 ]"
  wait_until 10 bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl logs restarts)\" = 'run 1' ]"
  run k logs restarts --previous
  assert_output 'run 0'
}

@test "kubectl exec runs commands in the container through apiserve" {
  wait_phase 30 ticker Running
  run k exec ticker -- sh -c 'echo out; echo err >&2; exit 3'
  assert_equal "$status" 3
  assert_line out
  assert_line err
  run k exec ticker -- hostname
  assert_success
  assert_output ticker
  run bash -c "echo 'piped in' | nsenter --net=/run/netns/$NS kubectl exec -i ticker -- cat"
  assert_success
  assert_output 'piped in'
  # -it: kubectl on a terminal (script gives it one).
  run script -qec "nsenter --net=/run/netns/$NS kubectl exec -it ticker -- sh -c 'tty; exit 4'" /dev/null
  assert_equal "$status" 4
  assert_output --regexp '/dev/pts/[0-9]+'
  run -127 k exec ticker -- no-such-command
  assert_failure
  assert_output --partial 'no-such-command'
}

@test "pods on different nodes reach each other by pod IP" {
  k apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node2
  containers:
  - name: http
    image: python
    command: [python3, -m, http.server, '8080', --bind, 0.0.0.0]
    workingDir: /etc
    readinessProbe: {httpGet: {port: 8080, path: /hostname}, periodSeconds: 1}
YAML
  wait_until 30 bash -c "[ \"\$(nsenter --net=/run/netns/$NS kubectl get pod web -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]"
  ip=$(pod_field web '{.status.podIP}')
  [[ $ip == 10.244.2.* ]]
  # From the pod on node1, in its own network namespace.
  run k exec ticker -- python3 -c "import urllib.request; print(urllib.request.urlopen('http://$ip:8080/hostname', timeout=5).read().decode().strip())"
  assert_success
  [ -n "$output" ]
  k delete pod web --wait=true
}

@test "deleting a pod stops its process with SIGTERM" {
  k apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  nodeName: node1
  terminationGracePeriodSeconds: 20
  volumes: [{name: out, hostPath: {path: $OUT}}]
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'trap "echo TERM >/out/graceful; exit 0" TERM; echo marker-$NS-graceful >/dev/null; while true; do sleep 0.1; done']
    volumeMounts: [{name: out, mountPath: /out}]
YAML
  wait_phase 30 graceful Running
  pgrep -f "marker-$NS-graceful" >/dev/null
  start=$(date +%s)
  k delete pod graceful --wait=true
  # Well inside the grace period: the process exited on SIGTERM, not on SIGKILL.
  (($(date +%s) - start < 15))
  run cat "$OUT/graceful"
  assert_output TERM
  run pgrep -f "marker-$NS-graceful"
  assert_failure
  run k get pod graceful
  assert_failure
  assert_output --partial NotFound
}
