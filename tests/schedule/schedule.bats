#!/usr/bin/env bats
# schedule's command line: help, man page, completion, plugins, config.

load '../helpers'

@test "--help matches the man page" {
  check_man_matches_help schedule
  # Every verb's options are documented too.
  for verb in run simulate plugins config; do
    while read -r opt; do
      grep -q -- "${opt//-/\\\\-}" "$KUBIX_TOP/man/schedule.1" || { echo "man/schedule.1 lacks $verb $opt"; false; }
    done < <(schedule "$verb" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  done
}

@test "no verb is a usage error" {
  run schedule
  assert_failure 2
  assert_output --partial "schedule: a subcommand is required"
}

@test "plugins lists the default weights" {
  run schedule plugins
  assert_success
  assert_line --regexp '^TaintToleration +Filter,PreScore,Score +3 '
  assert_line --regexp '^NodeResourcesFit +PreFilter,Filter,PreScore,Score +1 +NodeResourcesFitArgs$'
  assert_line --regexp '^DefaultPreemption +PostFilter +- +DefaultPreemptionArgs$'
  run schedule plugins -o json
  [ "$(jq '[.[] | select(.defaultWeight > 0)] | map(.defaultWeight) | add' <<<"$output")" = 12 ]
}

@test "config prints the merged defaults" {
  run schedule config -o json
  assert_success
  [ "$(jq -r '.profiles[0].schedulerName' <<<"$output")" = default-scheduler ]
  [ "$(jq '.profiles[0].plugins.multiPoint.enabled | map(select(.name=="TaintToleration"))[0].weight' <<<"$output")" = 3 ]
}

@test "bash completion offers verbs and flags" {
  source "$KUBIX_TOP/completions/schedule"
  COMP_WORDS=(schedule "")
  COMP_CWORD=1
  _schedule
  [[ " ${COMPREPLY[*]} " == *" simulate "* ]]
  COMP_WORDS=(schedule simulate --ex)
  COMP_CWORD=2
  _schedule
  [ "${COMPREPLY[*]}" = "--existing --explain" ]
  COMP_WORDS=(schedule simulate -o "")
  COMP_CWORD=3
  _schedule
  [ "${COMPREPLY[*]}" = "wide json" ]
}
