#!/usr/bin/env bats
# reconcile's command line: help, man page, completion, bad flags. Nothing
# here needs an API server.

load '../helpers'
bats_require_minimum_version 1.5.0

@test "--help lists the upstream flags and every controller name" {
  run reconcile --help
  assert_success
  assert_output --partial "Usage: reconcile [OPTIONS]"
  for flag in --kubeconfig --master --kube-api-qps --kube-api-burst --controllers \
      --concurrent-deployment-syncs --node-monitor-grace-period --cluster-cidr \
      --leader-elect --leader-elect-lease-duration --secure-port; do
    assert_output --partial -- "$flag"
  done
  for c in deployment replicaset endpoint endpointslice namespace garbagecollector \
      serviceaccount job; do
    assert_output --regexp "names:.*\\b$c\\b"
  done
}

@test "man page matches --help" {
  check_man_matches_help reconcile
}

@test "bash completion offers flags and controller names" {
  source "$KUBIX_TOP/completions/reconcile"
  COMP_WORDS=(reconcile --kube-api-b); COMP_CWORD=1; _reconcile
  [ "${COMPREPLY[*]}" = "--kube-api-burst" ]
  COMP_WORDS=(reconcile --controllers dep); COMP_CWORD=2; _reconcile
  [ "${COMPREPLY[*]}" = "deployment" ]
  COMP_WORDS=(reconcile --controllers '*,-garb'); COMP_CWORD=2; _reconcile
  [ "${COMPREPLY[*]}" = "*,-garbagecollector" ]
  COMP_WORDS=(reconcile --leader-elect f); COMP_CWORD=2; _reconcile
  [ "${COMPREPLY[*]}" = "false" ]
}

@test "an unknown flag is a usage error" {
  run reconcile --no-such-flag
  [ "$status" -eq 2 ]
  assert_output --partial "reconcile: "
  assert_output --partial "--no-such-flag"
}

@test "an unknown controller name is a usage error naming it" {
  run reconcile --controllers '*,nosuch' --master http://127.0.0.1:1
  [ "$status" -eq 2 ]
  assert_output --partial '"nosuch" is not in the list of known controllers'
}

@test "a malformed number is a usage error" {
  run reconcile --kube-api-qps abc
  [ "$status" -eq 2 ]
  assert_output --partial "--kube-api-qps"
}
