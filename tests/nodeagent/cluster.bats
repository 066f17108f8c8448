#!/usr/bin/env bats
# nodeagent in a cluster from scripts/cluster-up (KUBIX_NODES=2), driven by
# an unmodified kubectl through apiserve: nodes register and go Ready, a pod
# runs as a process with a pod IP, `kubectl logs [-f] [--previous]` and
# `kubectl exec` (with stdin, exit codes, -it) go through apiserve's node
# proxy, pods on two nodes reach each other, and deleting a pod stops its
# process with SIGTERM. Then the seed's deployment flow, end to end, with the
# scheduler, the controllers and kube-proxy as cluster-up runs them:
# `kubectl create deployment web --replicas=3` gives a Deployment, a
# ReplicaSet and three pods spread over both nodes, each an HTTP server
# process in a network namespace of its own, answering on its pod IP (and
# through a Service's ClusterIP); `kubectl scale`, `kubectl delete pod` and
# `kubectl delete deployment` start and stop processes to match.
#
# The cluster runs in a network namespace made here, so the nodes' bridges,
# routes, iptables rules and pod namespaces never touch this machine's
# network. The first tests' pods name their node (spec.nodeName).

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
  # cluster-up's cgroup tag for this cluster: every pod process is under kubix-$TAG-nodeN.
  TAG=$(printf '%s' "$KUBIX_CLUSTER_DIR" | cksum | cut -c1-5)
  export TAG
  mkdir -p "$OUT"
  ip netns add "$NS"
  echo "$NS" >"$BATS_FILE_TMPDIR/ns"
  ip -n "$NS" link set lo up
  # An uplink with a default route, as a real node has: a ClusterIP is on no
  # interface, and without a route connecting to it fails before the nat
  # OUTPUT chain proxyrules writes can rewrite it.
  ip -n "$NS" link add uplink0 type veth peer name uplink1
  ip -n "$NS" addr add 192.0.2.1/24 dev uplink0
  ip -n "$NS" link set uplink0 up
  ip -n "$NS" link set uplink1 up
  ip -n "$NS" route add default via 192.0.2.254
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
  for f in "$KUBIX_CLUSTER_DIR"/nodeagent-node*.log "$KUBIX_CLUSTER_DIR"/{apiserve,schedule,reconcile,proxyrules-node1}.log; do
    echo "--- $f"
    tail -n 30 "$f"
  done
}

in_node() { nsenter "--net=/run/netns/$NS" "$@"; }
k() { in_node kubectl --request-timeout=20s "$@"; }

# in_cidr IP NODE: IP is from NODE's spec.podCIDR (a /24 from reconcile's nodeipam).
in_cidr() {
  local cidr
  cidr=$(k get node "$2" -o jsonpath='{.spec.podCIDR}')
  [[ $cidr == */24 && $1 == "${cidr%.*/24}".* ]] || {
    echo "pod IP $1 is not from $2's podCIDR $cidr" >&2
    return 1
  }
}

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
  in_cidr "$(pod_field ticker '{.status.podIP}')" node1
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
  in_cidr "$ip" node2
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

# ---- the seed's deployment flow ----

# web_pids: the pids of the deployment's HTTP servers, run by this cluster's
# nodes (a container's process is in its pod's cgroup under kubix-$TAG-nodeN).
web_pids() {
  local f pid
  for f in $(grep -l "/kubix-$TAG-node" /proc/[0-9]*/cgroup 2>/dev/null); do
    pid=${f#/proc/}
    pid=${pid%/cgroup}
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == 'python3 -m http.server 8080 '* ]] && echo "$pid"
  done
  true
}
# within SECS CMD...: runs CMD until it succeeds or SECS seconds of wall time
# pass (each try of the checks below takes a while on a loaded machine).
within() {
  local secs=$1 end=$((SECONDS + $1))
  shift
  while ((SECONDS < end)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  "$@" || {
    echo "timed out after ${secs}s waiting for: $*" >&2
    return 1
  }
}
# web_state: "<pods> <ready pods> <server processes>" for app=web (terminating pods count).
web_state() {
  local pods ready
  pods=$(k get pods -l app=web -o name | wc -l)
  ready=$(k get pods -l app=web -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)
  echo "$pods $ready $(web_pids | wc -l)"
}
# web_is N: the deployment has exactly N pods, all Ready, and N server processes.
web_is() {
  local state
  state=$(web_state)
  [ "$state" = "$1 $1 $1" ] || {
    echo "want $1 pods, $1 Ready, $1 processes; have (pods Ready processes) $state" >&2
    return 1
  }
}
export -f web_pids web_state web_is k in_node

@test "kubectl create deployment: Deployment, ReplicaSet and three pods over both nodes, each serving HTTP on its pod IP" {
  k create deployment web --replicas=3 --image=busybox -- python3 -m http.server 8080
  within 60 web_is 3
  run k get deployment web -o jsonpath='{.status.readyReplicas}/{.status.availableReplicas}'
  assert_output 3/3
  # One ReplicaSet, owned by the Deployment, with the three pods.
  run k get rs -l app=web -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.status.readyReplicas}{"\n"}{end}'
  assert_output 'Deployment/web 3'
  rs=$(k get rs -l app=web -o jsonpath='{.items[0].metadata.name}')
  run k get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].name}{"\n"}{end}'
  assert_output "$(printf '%s\n%s\n%s' "$rs" "$rs" "$rs")"
  # The scheduler spread them over both nodes.
  run bash -c "nsenter --net=/run/netns/$NS kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{\"\\n\"}{end}' | sort -u | tr '\\n' ' '"
  assert_output 'node1 node2 '

  # Network namespaces by inode: this machine's, the nodes' and each pod's.
  seen=("$(stat -L -c %i /proc/self/ns/net)" "$(stat -L -c %i "/run/netns/$NS")")
  for pod in $(k get pods -l app=web -o jsonpath='{.items[*].metadata.name}'); do
    uid=$(pod_field "$pod" '{.metadata.uid}')
    ip=$(pod_field "$pod" '{.status.podIP}')
    node=$(pod_field "$pod" '{.spec.nodeName}')
    in_cidr "$ip" "$node"
    # Its server is a process in the pod's cgroup, in a network namespace of
    # its own (not the nodes' one, not another pod's) holding the pod IP.
    pid=$(web_pids | while read -r p; do if grep -q "pod$uid" "/proc/$p/cgroup"; then echo "$p"; fi; done)
    [ -n "$pid" ]
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == 'python3 -m http.server 8080 ' ]]
    netns=$(stat -L -c %i "/proc/$pid/ns/net")
    [[ " ${seen[*]} " != *" $netns "* ]]
    seen+=("$netns")
    run nsenter "--net=/proc/$pid/ns/net" ip -4 -o addr show dev eth0
    assert_output --partial " $ip/24 "
    # It answers HTTP on its pod IP, from the nodes' network.
    run in_node curl -sf -o /dev/null -w '%{http_code}' --max-time 5 "http://$ip:8080/"
    assert_output 200
  done
}

@test "a Service in front of the deployment answers on its ClusterIP (proxyrules)" {
  within 30 web_is 3
  k expose deployment web --port 80 --target-port 8080
  ip=$(k get service web -o jsonpath='{.spec.clusterIP}')
  [ -n "$ip" ]
  # proxyrules programs the Service once its EndpointSlice lists the pods.
  within 30 in_node curl -sf -o /dev/null --max-time 2 "http://$ip/"
  # Its EndpointSlice lists the three pods.
  run k get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[*].addresses[0]}'
  [ "$(wc -w <<<"$output")" -eq 3 ]
  k delete service web
}

@test "kubectl scale: pods and processes follow, up and down" {
  within 30 web_is 3
  k scale deployment web --replicas=5
  within 60 web_is 5
  k scale deployment web --replicas=1
  # Scaled-down pods terminate: their processes end and the pods are deleted.
  within 60 web_is 1
  run k get deployment web -o jsonpath='{.status.replicas}/{.status.readyReplicas}'
  assert_output 1/1
}

@test "kubectl delete pod: the ReplicaSet replaces it with a new one" {
  within 30 web_is 1
  old=$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
  old_uid=$(pod_field "$old" '{.metadata.uid}')
  k delete pod "$old" --wait=true
  within 60 web_is 1
  new=$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
  [ "$new" != "$old" ]
  run bash -c "grep -l 'pod$old_uid' /proc/[0-9]*/cgroup 2>/dev/null"
  assert_output ''
  ip=$(pod_field "$new" '{.status.podIP}')
  run in_node curl -sf -o /dev/null -w '%{http_code}' --max-time 5 "http://$ip:8080/"
  assert_output 200
}

@test "kubectl delete deployment: its ReplicaSet, pods and processes are gone" {
  k scale deployment web --replicas=3
  within 60 web_is 3
  k delete deployment web
  within 60 web_is 0
  run k get rs -l app=web -o name
  assert_output ''
}
