#!/usr/bin/env bats
# schedule simulate: placement from files and stdin, explain, bad input.

load '../helpers'

setup() {
  DATA="$BATS_TEST_DIRNAME/testdata"
}

@test "simulate places pods from files and reports the pending one" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml"
  assert_success
  assert_line --index 0 --regexp '^POD +NODE +SCORE$'
  assert_line --regexp '^default/web-1 +node-[123] +[0-9]+$'
  assert_line --regexp '^default/ssd-only +node-1 +-$'
  assert_line --regexp '^default/gpu-job +node-4 +-$'
  assert_line --regexp '^default/too-big +<pending> +-$'
  assert_output --partial "schedule: default/too-big: 0/5 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable, 3 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling."
}

@test "simulate -o json has every pod and a summary" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" -o json
  assert_success
  [ "$(jq -r .kind <<<"$output")" = SimulationResult ]
  [ "$(jq '.summary.scheduled' <<<"$output")" = 3 ]
  [ "$(jq '.summary.pending' <<<"$output")" = 1 ]
  [ "$(jq -r '.pods[] | select(.name=="gpu-job") | .node' <<<"$output")" = node-4 ]
  jq -e '.pods[] | select(.name=="too-big") | .message | startswith("0/5 nodes are available")' <<<"$output"
}

@test "simulate -o wide shows feasible counts and messages" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" -o wide
  assert_success
  assert_line --index 0 --regexp '^POD +NODE +SCORE +ATTEMPTS +FEASIBLE +NOMINATED +MESSAGE$'
  assert_line --regexp '^default/web-1 .* 1 +3/5 +<none> +<none>$'
  assert_line --regexp '^default/too-big +<pending> .* 0/5 +<none> +0/5 nodes are available: '
}

@test "simulate reads kubectl get -o json output on stdin and places its pending pods" {
  # cluster.json is `kubectl get nodes,pods -A -o json` of a small cluster: a
  # running pod fills node-3, a finished one does not count, one pod waits.
  run schedule simulate --nodes - -o wide <"$DATA/cluster.json"
  assert_success
  assert_line --index 1 --regexp '^prod/waiting +<pending> +- +1 +0/5 +<none> +0/5 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint\(s\), 1 node\(s\) were unschedulable, 2 node\(s\) didn.t match Pod.s node affinity/selector\. preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling\.$'
  # The same cluster and a new pod given with --pods: only that pod is placed.
  run schedule simulate --nodes - --pods "$DATA/pods.yaml" <"$DATA/cluster.json"
  assert_success
  refute_output --partial prod/waiting
}

@test "explain shows every node's verdict and the score breakdown" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --explain web-1
  assert_success
  assert_line 'Pod default/web-1 (priority 0, schedulerName default-scheduler, attempt 1)'
  assert_line --regexp '^  node-4 +rejected +TaintToleration +node\(s\) had untolerated taint\(s\) \(untolerated taint \{dedicated: gpu\} effect NoSchedule\)$'
  assert_line --regexp '^  node-5 +rejected +NodeUnschedulable +node\(s\) were unschedulable$'
  assert_line --regexp '^  NODE +TOTAL +TaintToleration\(x3\) +NodeAffinity\(x2\) +NodeResourcesFit\(x1\)'
  # node-1: LeastAllocated (87+93)/2=90, balanced 96, TaintToleration 100: 3*100 + 90 + 96 = 486.
  assert_line --regexp '^  node-1 +486 +100 +skip +90 '
  assert_line --regexp '^Result: bound to node-[12] \(score 486\)$'
}

@test "explain of a pending pod lists each rejection with its detail" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --explain default/too-big
  assert_success
  assert_line --regexp '^  node-3 +rejected +NodeResourcesFit +Insufficient cpu \(cpu: requested 6, in use 0 of 2\)$'
  assert_line --regexp '^ +NodeResourcesFit +Insufficient cpu \(cpu: requested 6, in use 0 of 4\)$'
  assert_line --regexp '^Result: FailedScheduling: 0/5 nodes are available: '
}

@test "explain -o json carries raw and normalized scores" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --explain web-1 -o json
  assert_success
  [ "$(jq '.scores[] | select(.node=="node-1") | .plugins.NodeResourcesFit.normalized' <<<"$output")" = 90 ]
  [ "$(jq '.scores[] | select(.node=="node-1") | .plugins.TaintToleration.weighted' <<<"$output")" = 300 ]
  [ "$(jq -r '.nodes[] | select(.name=="node-4") | .rejections[0].plugin' <<<"$output")" = TaintToleration ]
}

@test "explain of an unknown pod is a usage error" {
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --explain nope
  assert_failure 2
  assert_output 'schedule: --explain: pod "nope" is not among the pods to place'
}

@test "a bad quantity names the file, the object and the field" {
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers: [{name: c, image: x, resources: {requests: {memory: lots}}}]\n' >"$BATS_TEST_TMPDIR/bad.yaml"
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$BATS_TEST_TMPDIR/bad.yaml"
  assert_failure 2
  assert_output --partial "schedule: $BATS_TEST_TMPDIR/bad.yaml: Pod \"default/bad\": spec.containers[0].resources.requests.memory: Invalid value: \"lots\": quantities must match the regular expression"
}

@test "malformed YAML and missing files are input errors" {
  printf 'kind: Node\nmetadata: {name: [}\n' >"$BATS_TEST_TMPDIR/broken.yaml"
  run schedule simulate --nodes "$BATS_TEST_TMPDIR/broken.yaml"
  assert_failure 2
  assert_output --partial "broken.yaml"
  run schedule simulate --nodes "$BATS_TEST_TMPDIR/missing.yaml"
  assert_failure 2
  assert_output --partial "missing.yaml"
}

@test "a bad configuration exits 2 naming the field" {
  printf 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- plugins:\n    score:\n      enabled: [{name: NodeResourcesFitt, weight: 2}]\n' >"$BATS_TEST_TMPDIR/cfg.yaml"
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --config "$BATS_TEST_TMPDIR/cfg.yaml"
  assert_failure 2
  assert_output "schedule: $BATS_TEST_TMPDIR/cfg.yaml: profiles[0].plugins.score.enabled[0]: Invalid value: \"NodeResourcesFitt\": plugin does not exist"
  printf 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 120\n' >"$BATS_TEST_TMPDIR/cfg2.yaml"
  run schedule config --config "$BATS_TEST_TMPDIR/cfg2.yaml"
  assert_failure 2
  assert_output "schedule: $BATS_TEST_TMPDIR/cfg2.yaml: percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]"
}

@test "MostAllocated from --config packs pods onto one node" {
  printf 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: MostAllocated}}\n' >"$BATS_TEST_TMPDIR/pack.yaml"
  pods=""
  for i in 1 2 3 4; do
    pods+="{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p$i\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"requests\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"}}}]}}"$'\n'
  done
  printf '%s' "$pods" >"$BATS_TEST_TMPDIR/pods.json"
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$BATS_TEST_TMPDIR/pods.json" --config "$BATS_TEST_TMPDIR/pack.yaml" -o json
  assert_success
  [ "$(jq -r '[.pods[].node] | unique | length' <<<"$output")" = 1 ]
  run schedule simulate --nodes "$DATA/nodes.yaml" --pods "$BATS_TEST_TMPDIR/pods.json" -o json
  [ "$(jq -r '[.pods[].node] | unique | length' <<<"$output")" -gt 1 ]
}

@test "results do not depend on --parallelism" {
  a=$(schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --parallelism 1 2>/dev/null)
  b=$(schedule simulate --nodes "$DATA/nodes.yaml" --pods "$DATA/pods.yaml" --parallelism 16 2>/dev/null)
  [ "$a" = "$b" ]
}
