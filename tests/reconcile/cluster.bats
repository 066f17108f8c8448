#!/usr/bin/env bats
# reconcile in a cluster from scripts/cluster-up (apiserve + reconcile), driven
# by an unmodified kubectl. There is no kubelet: a "fake kubelet" loop in
# the test marks a namespace's pods Running and Ready (with a pod IP) or
# Succeeded, through `kubectl proxy`. Every test works in its own namespace.

load '../helpers'
bats_require_minimum_version 1.5.0

setup_file() {
  export KUBIX_CLUSTER_DIR="$BATS_FILE_TMPDIR/cluster"
  APISERVE_PORT=$(free_port)
  RECONCILE_PORT=$(free_port)
  # Short node grace periods, so a dead node is noticed within seconds.
  RECONCILE_FLAGS="--node-monitor-grace-period 3s --node-monitor-period 500ms --node-startup-grace-period 3s"
  export APISERVE_PORT RECONCILE_PORT RECONCILE_FLAGS
  "$KUBIX_TOP/scripts/cluster-up" >"$BATS_FILE_TMPDIR/cluster-up.out" 2>&1
  export KUBECONFIG="$KUBIX_CLUSTER_DIR/kubeconfig"
  export KUBECACHEDIR="$BATS_FILE_TMPDIR/kubecache"
  PROXY_PORT=$(free_port)
  export PROXY_PORT PROXY="http://127.0.0.1:$PROXY_PORT"
  kubectl proxy --port "$PROXY_PORT" >"$BATS_FILE_TMPDIR/proxy.log" 2>&1 3>&- &
  echo $! >"$BATS_FILE_TMPDIR/proxy.pid"
  wait_for_url "$PROXY/healthz" 20
}

teardown_file() {
  kill "$(cat "$BATS_FILE_TMPDIR/proxy.pid")" 2>/dev/null || true
  "$KUBIX_TOP/scripts/cluster-down" >/dev/null 2>&1 || true
}

setup() {
  NS="t$BATS_TEST_NUMBER"
  k create namespace "$NS" >/dev/null
}

teardown() {
  stop_daemons
  # Nodes a test created (live_nodes) go with it: left behind, they would go
  # Unknown and count in the zone's disruption for later tests.
  if [ -f "$BATS_TEST_TMPDIR/.nodes" ]; then
    while read -r n; do
      k delete node "$n" --ignore-not-found --wait=false >/dev/null 2>&1 || true
      k delete lease "$n" -n kube-node-lease --ignore-not-found >/dev/null 2>&1 || true
    done <"$BATS_TEST_TMPDIR/.nodes"
  fi
  if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
    show_logs
    echo "--- reconcile.log"
    tail -n 40 "$KUBIX_CLUSTER_DIR/reconcile.log" || true
    kubectl get all -n "$NS" -o wide 2>&1 | head -40 || true
  fi
}

k() { kubectl --request-timeout=20s "$@"; }

# fake_kubelet NS MODE: in the background, moves every Pending pod of NS to
# MODE: "ready" (Running, Ready, a pod IP) or "succeeded".
fake_kubelet() {
  start_daemon "kubelet-$1-$2" bash -c '
    ns=$1 mode=$2 proxy=$3 n=0
    while :; do
      for pod in $(curl -sf "$proxy/api/v1/namespaces/$ns/pods" |
          jq -r ".items[] | select(.status.phase == \"Pending\" and .metadata.deletionTimestamp == null) | .metadata.name"); do
        n=$((n + 1))
        now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
        ip="10.244.$((n / 250)).$((n % 250 + 1))"
        if [ "$mode" = ready ]; then
          body="{\"status\":{\"phase\":\"Running\",\"podIP\":\"$ip\",\"podIPs\":[{\"ip\":\"$ip\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"$now\"}]}}"
        else
          body="{\"status\":{\"phase\":\"Succeeded\"}}"
        fi
        curl -sf -o /dev/null -X PATCH -H "Content-Type: application/merge-patch+json" \
          --data-binary "$body" "$proxy/api/v1/namespaces/$ns/pods/$pod/status" && echo "$mode $pod"
      done
      sleep 0.1
    done' fake-kubelet "$1" "$2" "$PROXY"
}

# pods NS [SELECTOR]: the number of pods (not being deleted).
pods() {
  k get pods -n "$1" ${2:+-l "$2"} -o json | jq '[.items[] | select(.metadata.deletionTimestamp == null)] | length'
}

pods_are() { [ "$(pods "$1" "$2")" = "$3" ]; }

deployment() { # NAME REPLICAS IMAGE [maxSurge maxUnavailable]
  k apply -n "$NS" -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: ${4:-25%}, maxUnavailable: ${5:-25%}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      containers: [{name: c, image: $3}]
YAML
}

@test "a Deployment creates a ReplicaSet and pods with pod-template-hash and ownerReferences" {
  deployment web 3 nginx:1
  wait_until 20 pods_are "$NS" app=web 3
  rs=$(k get rs -n "$NS" -l app=web -o json)
  [ "$(jq '.items | length' <<<"$rs")" = 1 ]
  hash=$(jq -r '.items[0].metadata.labels["pod-template-hash"]' <<<"$rs")
  [ "$(jq -r '.items[0].metadata.name' <<<"$rs")" = "web-$hash" ]
  [ "$(jq -r '.items[0].spec.selector.matchLabels["pod-template-hash"]' <<<"$rs")" = "$hash" ]
  [ "$(jq -r '.items[0].metadata.annotations["deployment.kubernetes.io/revision"]' <<<"$rs")" = 1 ]
  [ "$(jq -r '.items[0].metadata.ownerReferences[0] | "\(.kind) \(.name) \(.controller) \(.blockOwnerDeletion)"' <<<"$rs")" = "Deployment web true true" ]
  rs_uid=$(jq -r '.items[0].metadata.uid' <<<"$rs")
  run k get pods -n "$NS" -l app=web -o json
  assert_success
  [ "$(jq --arg h "$hash" '[.items[] | select(.metadata.labels["pod-template-hash"] == $h)] | length' <<<"$output")" = 3 ]
  [ "$(jq --arg u "$rs_uid" '[.items[] | select(.metadata.ownerReferences[0].uid == $u and .metadata.ownerReferences[0].controller)] | length' <<<"$output")" = 3 ]
  [[ "$(jq -r '.items[0].metadata.name' <<<"$output")" == web-$hash-* ]]
}

@test "every namespace gets a default ServiceAccount" {
  wait_until 20 k get serviceaccount default -n "$NS"
  wait_until 20 k get configmap kube-root-ca.crt -n "$NS"
}

@test "kubectl rollout status and wait return once the pods are ready; scaling up and down" {
  deployment web 3 nginx:1
  # Nothing marks the pods ready yet: it times out, as upstream's does.
  run -1 k rollout status deployment/web -n "$NS" --timeout=1s
  assert_output --partial "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available"
  refute_output --partial "successfully rolled out"
  fake_kubelet "$NS" ready
  run -0 k rollout status deployment/web -n "$NS" --timeout=30s
  assert_output --partial 'deployment "web" successfully rolled out'
  run -0 k wait --for=condition=Available deployment/web -n "$NS" --timeout=20s
  run -0 k get deployment web -n "$NS" -o json
  jq -e '.status | .replicas == 3 and .readyReplicas == 3 and .availableReplicas == 3 and .updatedReplicas == 3' <<<"$output"
  jq -e '.status.observedGeneration == .metadata.generation' <<<"$output"
  jq -e '.status.conditions[] | select(.type == "Progressing") | .reason == "NewReplicaSetAvailable"' <<<"$output"
  k scale deployment/web -n "$NS" --replicas=6
  run -0 k rollout status deployment/web -n "$NS" --timeout=30s
  [ "$(pods "$NS" app=web)" = 6 ]
  k scale deployment/web -n "$NS" --replicas=2
  wait_until 20 pods_are "$NS" app=web 2
  run -0 k rollout status deployment/web -n "$NS" --timeout=30s
  [ "$(k get rs -n "$NS" -l app=web -o jsonpath='{.items[0].spec.replicas}')" = 2 ]
}

@test "a rolling update keeps within maxSurge and maxUnavailable; rollout undo goes back" {
  fake_kubelet "$NS" ready
  deployment web 4 nginx:1 1 1
  run -0 k rollout status deployment/web -n "$NS" --timeout=30s
  # Watch throughout: never more than replicas + maxSurge = 5 pods, never
  # fewer than replicas - maxUnavailable = 3 ready ones.
  start_daemon checker bash -c '
    while :; do
      curl -sf "$1/api/v1/namespaces/$2/pods" | jq -r "[.items[] | select(.metadata.deletionTimestamp == null)] |
        \"\(length) \([.[] | select(any(.status.conditions[]?; .type == \"Ready\" and .status == \"True\"))] | length)\""
    done' checker "$PROXY" "$NS"
  k set image deployment/web -n "$NS" c=nginx:2
  run -0 k rollout status deployment/web -n "$NS" --timeout=60s
  kill "$(daemon_pid checker)"
  run awk '$1 > 5 || $2 < 3 { bad++; print "violation: " $1 " pods, " $2 " ready" } END { print NR " samples"; exit bad > 0 }' \
    "$BATS_TEST_TMPDIR/checker.log"
  echo "$output"
  assert_success
  [ "$(awk '{print $1}' "$BATS_TEST_TMPDIR/checker.log" | sort -u | wc -l)" -gt 1 ] # it saw the rollout
  run -0 k get pods -n "$NS" -l app=web -o jsonpath='{.items[*].spec.containers[0].image}'
  [ "$output" = "nginx:2 nginx:2 nginx:2 nginx:2" ]
  [ "$(k get rs -n "$NS" -l app=web -o name | wc -l)" = 2 ]
  [ "$(k get deployment web -n "$NS" -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')" = 2 ]
  run -0 k rollout history deployment/web -n "$NS"
  assert_output --regexp '1 +<none>'
  assert_output --regexp '2 +<none>'

  run -0 k rollout undo deployment/web -n "$NS"
  assert_output --partial "rolled back"
  run -0 k rollout status deployment/web -n "$NS" --timeout=60s
  run -0 k get pods -n "$NS" -l app=web -o jsonpath='{.items[*].spec.containers[0].image}'
  [ "$output" = "nginx:1 nginx:1 nginx:1 nginx:1" ]
  # The first ReplicaSet is reused, now as revision 3.
  [ "$(k get rs -n "$NS" -l app=web -o name | wc -l)" = 2 ]
  [ "$(k get deployment web -n "$NS" -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')" = 3 ]
}

@test "deleting an owner collects its dependents: background, foreground and orphan" {
  deployment bg 2 nginx:1
  deployment fg 2 nginx:1
  deployment orph 2 nginx:1
  wait_until 20 pods_are "$NS" app=bg 2
  wait_until 20 pods_are "$NS" app=fg 2
  wait_until 20 pods_are "$NS" app=orph 2

  k delete deployment bg -n "$NS" --cascade=background
  wait_until 20 pods_are "$NS" app=bg 0
  [ -z "$(k get rs -n "$NS" -l app=bg -o name)" ]

  k delete deployment fg -n "$NS" --cascade=foreground --wait=true --timeout=30s
  run -1 k get deployment fg -n "$NS"
  [ -z "$(k get rs -n "$NS" -l app=fg -o name)" ]
  [ "$(pods "$NS" app=fg)" = 0 ]

  # Orphan: the Deployment goes, its ReplicaSet stays with no owner left.
  k delete deployment orph -n "$NS" --cascade=orphan --wait=true --timeout=30s
  run -1 k get deployment orph -n "$NS"
  run -0 k get rs -n "$NS" -l app=orph -o json
  jq -e '.items | length == 1' <<<"$output"
  jq -e '[.items[] | select(.metadata.ownerReferences // [] | length > 0)] | length == 0' <<<"$output"
  [ "$(pods "$NS" app=orph)" = 2 ]
}

@test "orphaned pods lose their ownerReference and stay" {
  k apply -n "$NS" -f - <<'YAML'
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: lone}
spec:
  replicas: 2
  selector: {matchLabels: {app: lone}}
  template:
    metadata: {labels: {app: lone}}
    spec: {containers: [{name: c, image: nginx}]}
YAML
  wait_until 20 pods_are "$NS" app=lone 2
  k delete rs lone -n "$NS" --cascade=orphan --wait=true --timeout=30s
  run -1 k get rs lone -n "$NS"
  run -0 k get pods -n "$NS" -l app=lone -o json
  [ "$(jq '.items | length' <<<"$output")" = 2 ]
  [ "$(jq '[.items[] | select(.metadata.ownerReferences // [] | length > 0)] | length' <<<"$output")" = 0 ]
}

@test "deleting a namespace deletes everything in it, then the namespace" {
  deployment web 2 nginx:1
  k create configmap cm -n "$NS" --from-literal=a=b
  k create service clusterip web -n "$NS" --tcp=80:8080
  wait_until 20 pods_are "$NS" app=web 2
  run -0 k delete namespace "$NS" --timeout=60s
  run -1 k get namespace "$NS"
  for kind in deployments replicasets pods configmaps services endpoints serviceaccounts; do
    [ -z "$(k get "$kind" -n "$NS" -o name 2>/dev/null)" ]
  done
}

@test "a Service gets Endpoints and EndpointSlices that follow pod readiness" {
  deployment web 2 nginx:1
  k create service clusterip web -n "$NS" --tcp=80:8080
  wait_until 20 k get endpoints web -n "$NS"
  [ -z "$(k get endpoints web -n "$NS" -o jsonpath='{.subsets}')" ]
  fake_kubelet "$NS" ready
  wait_until 20 bash -c "[ \"\$(kubectl get endpoints web -n $NS -o jsonpath='{.subsets[0].addresses[*].ip}' | wc -w)\" = 2 ]"
  [ "$(k get endpoints web -n "$NS" -o jsonpath='{.subsets[0].ports[0].port}')" = 8080 ]
  run -0 k get endpointslices -n "$NS" -l kubernetes.io/service-name=web -o json
  jq -e '.items | length == 1' <<<"$output"
  jq -e '.items[0].metadata.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"' <<<"$output"
  wait_until 20 bash -c "kubectl get endpointslices -n $NS -l kubernetes.io/service-name=web -o json |
    jq -e '[.items[0].endpoints[] | select(.conditions.ready)] | length == 2'"
  # A pod that stops being ready moves to notReadyAddresses.
  pod=$(k get pods -n "$NS" -l app=web -o jsonpath='{.items[0].metadata.name}')
  k patch pod "$pod" -n "$NS" --subresource=status --type=merge \
    -p '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}'
  wait_until 20 bash -c "[ \"\$(kubectl get endpoints web -n $NS -o jsonpath='{.subsets[0].notReadyAddresses[*].targetRef.name}')\" = $pod ]"
  wait_until 20 bash -c "kubectl get endpointslices -n $NS -l kubernetes.io/service-name=web -o json |
    jq -e '[.items[0].endpoints[] | select(.conditions.ready | not)] | length == 1'"
}

@test "a Job runs to completion when its pods succeed" {
  k apply -n "$NS" -f - <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: work}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
YAML
  wait_until 20 pods_are "$NS" job-name=work 2
  [ "$(pods "$NS" job-name=work)" = 2 ] # parallelism
  fake_kubelet "$NS" succeeded
  run -0 k wait --for=condition=Complete job/work -n "$NS" --timeout=30s
  run -0 k get job work -n "$NS" -o json
  jq -e '.status.succeeded == 3 and (.status.active // 0) == 0 and .status.completionTime != null' <<<"$output"
}

@test "reconcile serves /healthz and upstream's workqueue metrics" {
  run -0 curl -sf "http://127.0.0.1:$RECONCILE_PORT/healthz"
  [ "$output" = ok ]
  deployment web 1 nginx:1
  wait_until 20 pods_are "$NS" app=web 1
  run -0 curl -sf "http://127.0.0.1:$RECONCILE_PORT/metrics"
  for m in workqueue_depth workqueue_adds_total workqueue_queue_duration_seconds \
      workqueue_work_duration_seconds workqueue_retries_total \
      workqueue_unfinished_work_seconds workqueue_longest_running_processor_seconds; do
    assert_line --regexp "^# TYPE $m (counter|gauge|histogram)$"
  done
  # Upstream's queue names (kube-controller-manager's dashboards use them).
  assert_line --regexp '^workqueue_depth\{name="replicaset"\} [0-9]+$'
  assert_line --regexp '^workqueue_queue_duration_seconds_bucket\{name="endpoint_slice",le="[0-9.e+-]+"\} [0-9]+$'
  # The deployment controller's queue saw this test's Deployment.
  adds=$(awk '/^workqueue_adds_total\{name="deployment"\}/ {print $2}' <<<"$output")
  [ -n "$adds" ] && [ "${adds%.*}" -ge 1 ]
}

@test "a node whose Lease stops is marked Unknown, tainted unreachable, and its pods evicted" {
  # Two nodes (one dead node of one would be a full disruption: no eviction).
  for n in "$NS-live" "$NS-dead"; do
    k apply -f - <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n}
YAML
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    k patch node "$n" --subresource=status --type=merge -p \
      "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\"$now\",\"lastTransitionTime\":\"$now\"}]}}"
    k apply -f - <<YAML
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: $n, namespace: kube-node-lease}
spec: {holderIdentity: $n, leaseDurationSeconds: 40, renewTime: "$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)"}
YAML
  done
  # The live node's kubelet renews its Lease; the dead one's never does.
  start_daemon lease-renewer bash -c '
    while :; do
      curl -sf -o /dev/null -X PATCH -H "Content-Type: application/merge-patch+json" \
        --data-binary "{\"spec\":{\"renewTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)\"}}" \
        "$1/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/$2"
      sleep 0.5
    done' renewer "$PROXY" "$NS-live"
  for n in live dead; do
    for p in short forever; do
      if [ $p = short ]; then secs=", tolerationSeconds: 1"; else secs=""; fi
      k apply -n "$NS" -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $n-$p}
spec:
  nodeName: $NS-$n
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute$secs}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute$secs}
  containers: [{name: c, image: nginx}]
YAML
    done
  done
  # dead-forever's (fake) kubelet reported it Ready before the node died.
  k patch pod dead-forever -n "$NS" --subresource=status --type=merge -p \
    '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}'
  # --node-monitor-grace-period is 3s in this suite.
  wait_until 30 bash -c "[ \"\$(kubectl get node $NS-dead -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = Unknown ]"
  wait_until 30 bash -c "kubectl get node $NS-dead -o json | jq -e '.spec.taints // [] | any(.key == \"node.kubernetes.io/unreachable\" and .effect == \"NoExecute\")'"
  # The pod tolerating the taint for 1 s is evicted; the one tolerating it forever stays.
  wait_until 30 bash -c "! kubectl get pod dead-short -n $NS -o json | jq -e '.metadata.deletionTimestamp == null'"
  run -0 k get pod dead-forever -n "$NS" -o json
  jq -e '.metadata.deletionTimestamp == null' <<<"$output"
  # Its Ready condition goes False (MarkPodsNotReady).
  wait_until 20 bash -c "kubectl get pod dead-forever -n $NS -o json | jq -e '.status.conditions[] | select(.type == \"Ready\") | .status == \"False\"'"
  # The live node stays Ready and untainted, and so do its pods.
  [ "$(k get node "$NS-live" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
  [ -z "$(k get node "$NS-live" -o jsonpath='{.spec.taints}')" ]
  run -0 k get pods -n "$NS" live-short live-forever -o json
  jq -e '[.items[] | select(.metadata.deletionTimestamp == null)] | length == 2' <<<"$output"
  k delete node "$NS-live" "$NS-dead" --wait=false
}

# live_nodes NAME:KEY=VALUE[:TAINTKEY]...: creates Ready nodes whose Leases a daemon
# renews (so node lifecycle leaves them alone), remembered for teardown.
live_nodes() {
  local spec n label taint now names=()
  for spec in "$@"; do
    IFS=: read -r n label taint <<<"$spec"
    names+=("$n")
    echo "$n" >>"$BATS_TEST_TMPDIR/.nodes"
    k apply -f - <<YAML
apiVersion: v1
kind: Node
metadata: {name: $n, labels: {${label%%=*}: ${label#*=}}}
spec: {taints: [${taint:+{key: $taint, effect: NoSchedule\}}]}
YAML
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    k patch node "$n" --subresource=status --type=merge -p \
      "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\"$now\",\"lastTransitionTime\":\"$now\"}],\"allocatable\":{\"cpu\":\"8\",\"memory\":\"16Gi\",\"pods\":\"110\"},\"capacity\":{\"cpu\":\"8\",\"memory\":\"16Gi\",\"pods\":\"110\"}}}"
    k apply -f - <<YAML
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: $n, namespace: kube-node-lease}
spec: {holderIdentity: $n, leaseDurationSeconds: 40, renewTime: "$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)"}
YAML
  done
  start_daemon "leases-${names[0]}" bash -c '
    proxy=$1; shift
    while :; do
      for n in "$@"; do
        curl -sf -o /dev/null -X PATCH -H "Content-Type: application/merge-patch+json" \
          --data-binary "{\"spec\":{\"renewTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)\"}}" \
          "$proxy/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/$n"
      done
      sleep 0.5
    done' renewer "$PROXY" "${names[@]}"
}

# daemon_targets NS: the nodes the DaemonSet's live pods are pinned to, sorted.
daemon_targets() {
  k get pods -n "$1" -l app=agent -o json | jq -r '.items[] | select(.metadata.deletionTimestamp == null) |
    .spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]' |
    sort | tr '\n' ' '
}

@test "a DaemonSet runs one pod per eligible node and rolls an update within maxUnavailable" {
  live_nodes "$NS-w1:role=$NS" "$NS-w2:role=$NS" "$NS-other:role=none" "$NS-tainted:role=$NS:dedicated"
  fake_kubelet "$NS" ready
  k apply -n "$NS" -f - <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {role: $NS}
      containers: [{name: c, image: agent:1}]
YAML
  wait_until 30 eval '[ "$(daemon_targets "$NS")" = "$NS-w1 $NS-w2 " ]'
  run -0 k rollout status daemonset/agent -n "$NS" --timeout=60s
  run -0 k get daemonset agent -n "$NS" -o jsonpath='{.status.desiredNumberScheduled} {.status.numberAvailable}'
  [ "$output" = "2 2" ]

  # A third eligible node gets its pod.
  live_nodes "$NS-w3:role=$NS"
  wait_until 30 eval '[ "$(daemon_targets "$NS")" = "$NS-w1 $NS-w2 $NS-w3 " ]'
  run -0 k rollout status daemonset/agent -n "$NS" --timeout=60s

  # Rolling update, maxUnavailable 1: a checker samples throughout; never
  # fewer than 3 - 1 = 2 ready pods, never more than one per node.
  start_daemon checker bash -c '
    while :; do
      curl -sf "$1/api/v1/namespaces/$2/pods?labelSelector=app%3Dagent" | jq -r "[.items[] | select(.metadata.deletionTimestamp == null)] |
        \"\([.[] | select(any(.status.conditions[]?; .type == \"Ready\" and .status == \"True\"))] | length) \(length)\""
    done' checker "$PROXY" "$NS"
  k set image daemonset/agent -n "$NS" c=agent:2
  run -0 k rollout status daemonset/agent -n "$NS" --timeout=90s
  kill "$(daemon_pid checker)"
  run awk '$1 < 2 || $2 > 3 { bad++; print "violation: " $1 " ready, " $2 " pods" } END { print NR " samples"; exit bad > 0 }' \
    "$BATS_TEST_TMPDIR/checker.log"
  echo "$output"
  assert_success
  # Replaced pods may still be terminating (no kubelet confirms their end).
  run -0 k get pods -n "$NS" -l app=agent -o json
  [ "$(jq -r '[.items[] | select(.metadata.deletionTimestamp == null) | .spec.containers[0].image] | join(" ")' <<<"$output")" = "agent:2 agent:2 agent:2" ]
  [ "$(daemon_targets "$NS")" = "$NS-w1 $NS-w2 $NS-w3 " ]
  run -0 k rollout history daemonset/agent -n "$NS"
  assert_output --regexp '2 +<none>'
}

@test "a StatefulSet creates web-0, web-1, web-2 in order, each after the previous is Ready, and scales down from the top" {
  k apply -n "$NS" -f - <<YAML
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx:1}]
YAML
  # A checker samples "name:ready" of every pod throughout.
  start_daemon checker bash -c '
    while :; do
      curl -sf "$1/api/v1/namespaces/$2/pods?labelSelector=app%3Dweb" | jq -r "[.items[] | select(.metadata.deletionTimestamp == null) |
        \"\(.metadata.name):\(any(.status.conditions[]?; .type == \"Ready\" and .status == \"True\"))\"] | sort | join(\" \")"
    done' checker "$PROXY" "$NS"
  # With no kubelet, web-0 stays unready, so web-1 must not come.
  wait_until 30 eval '[ "$(pods "$NS" app=web)" = 1 ]'
  [ "$(k get pods -n "$NS" -l app=web -o jsonpath='{.items[0].metadata.name}')" = web-0 ]
  fake_kubelet "$NS" ready
  run -0 k rollout status statefulset/web -n "$NS" --timeout=60s
  run -0 k get pods -n "$NS" -l app=web -o jsonpath='{.items[*].metadata.name}'
  [ "$output" = "web-0 web-1 web-2" ]
  [ "$(k get pod web-1 -n "$NS" -o jsonpath='{.metadata.labels.statefulset\.kubernetes\.io/pod-name}')" = web-1 ]
  # OrderedReady: in no sample does web-N exist while web-(N-1) is missing or unready.
  kill "$(daemon_pid checker)"
  run awk '{ for (i = 1; i <= NF; i++) { split($i, a, ":"); st[a[1]] = a[2] }
             if (("web-1" in st && st["web-0"] != "true") || ("web-2" in st && st["web-1"] != "true")) { bad++; print "violation: " $0 }
             delete st }
           END { print NR " samples"; exit bad > 0 }' "$BATS_TEST_TMPDIR/checker.log"
  echo "$output"
  assert_success
  # Scaling down removes the highest ordinals.
  k scale statefulset/web -n "$NS" --replicas=1
  wait_until 60 eval '[ "$(k get pods -n "$NS" -l app=web -o jsonpath="{.items[*].metadata.name}")" = web-0 ]'
}
