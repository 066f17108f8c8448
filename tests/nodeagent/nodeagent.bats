#!/usr/bin/env bats
# nodeagent without root: flags, manual, completion, the fake runtime.

load '../helpers'
load 'lib'

setup() { na_setup; }
teardown() { na_teardown; }

@test "nodeagent: --help and the man page agree" {
  check_man_matches_help nodeagent
  run nodeagent --help
  assert_success
  assert_output --partial "--pod-manifest-path"
  run nodeagent reset --help
  assert_success
  assert_output --partial "--root-dir"
}

@test "nodeagent: bad flags are usage errors with a clear message" {
  run nodeagent --runtime bogus
  assert_equal "$status" 2
  assert_output "nodeagent: invalid --runtime: \"bogus\" (want process or fake)"
  run nodeagent --pod-network netns
  assert_equal "$status" 2
  assert_output --partial "--pod-cidr"
  run nodeagent --eviction-hard 'memory.available>1Gi'
  assert_equal "$status" 2
  assert_output --partial "invalid --eviction-hard"
  run nodeagent --capacity cpu=lots
  assert_equal "$status" 2
  assert_output --partial "invalid --capacity"
  run nodeagent --no-such-flag
  assert_equal "$status" 2
}

@test "nodeagent: bash completion offers flags and their values" {
  # shellcheck disable=SC1091
  source "$KUBIX_TOP/completions/nodeagent"
  COMP_WORDS=(nodeagent --pod-net)
  COMP_CWORD=1
  _nodeagent
  assert_equal "${COMPREPLY[*]}" "--pod-network"
  COMP_WORDS=(nodeagent --runtime "")
  COMP_CWORD=2
  _nodeagent
  assert_equal "${COMPREPLY[*]}" "process fake"
  COMP_WORDS=(nodeagent reset --c)
  COMP_CWORD=2
  _nodeagent
  assert_equal "${COMPREPLY[*]}" "--cgroup-root"
  COMP_WORDS=(nodeagent re)
  COMP_CWORD=1
  _nodeagent
  assert_equal "${COMPREPLY[*]}" "reset"
}

@test "nodeagent: the fake runtime runs nothing and reports pods Running and Ready" {
  na_pod fake 'apiVersion: v1
kind: Pod
metadata: {name: fake, namespace: demo}
spec:
  containers:
  - {name: a, image: nginx, readinessProbe: {httpGet: {port: 80}}}
  - {name: b, image: nginx}'
  na_start --runtime fake --fake-start-delay 300ms --pod-cidr 10.77.0.0/24 --cgroups-per-qos=false
  run curl -sf "$NA_URL/pods"
  assert_success
  na_wait 10 fake '.phase' Running
  na_wait 5 fake '[.conditions[] | select(.type=="Ready") | .status][0]' True
  run na_jq fake '.podIP'
  assert_output "10.77.0.2"
  run na_jq fake '[.containerStatuses[].containerID | startswith("fake://")] | all'
  assert_output true
  run curl -sf "$NA_URL/metrics"
  assert_output --partial 'kubelet_running_pods 1'
  assert_output --partial 'kubelet_running_containers{container_state="running"} 2'
  # Removing the manifest removes the pod.
  rm "$NA_MANIFESTS/fake.yaml"
  wait_until 10 bash -c "[ \"\$(curl -sf $NA_URL/pods | jq '.items | length')\" = 0 ]"
}

@test "nodeagent: serves the kubelet's health and info paths" {
  na_start --runtime fake --cgroups-per-qos=false
  for p in /healthz /healthz/ping /healthz/syncloop /livez /readyz; do
    run curl -sf "$NA_URL$p"
    assert_success
    assert_output ok
  done
  run curl -sf "$NA_URL/spec/"
  assert_output --partial '"num_cores"'
  run curl -s "$NA_URL/containerLogs/default/nope/c"
  assert_output 'pod "nope" does not exist'
  run curl -s -o /dev/null -w '%{http_code}' "$NA_URL/nothing"
  assert_output 404
}
