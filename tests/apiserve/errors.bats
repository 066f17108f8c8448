#!/usr/bin/env bats
# Bad input gets upstream's codes and messages, and nothing stored changes.

load '../helpers'
load 'lib'

setup() { apiserve_start; }
teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
}

@test "malformed JSON and YAML bodies are 400 with upstream's decode error" {
  run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' --data '{"kind": '
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .reason)" = BadRequest ]
  [[ "$(body | jq -r .message)" == 'the object provided is unrecognized (must be of type ConfigMap): couldn'"'"'t get version/kind; json parse error: '* ]]
  run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/yaml' --data $'kind: ConfigMap\n  bad: [indent'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .reason)" = BadRequest ]
  run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: text/csv' --data 'a,b'
  [ "$(code)" = 415 ]
}

@test "YAML bodies are accepted" {
  run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/yaml' \
    --data-binary $'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n'
  [ "$(code)" = 201 ]
}

@test "kind and apiVersion must match the URL" {
  run api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .message)" = 'the API version in the data (apps/v1) does not match the expected API version (v1)' ]
  run api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}'
  [ "$(code)" = 400 ]
  [[ "$(body | jq -r .message)" == 'Secret in version "v1" cannot be handled as a ConfigMap'* ]]
  run api_json POST /api/v1/namespaces/other/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .message)" = 'the namespace of the provided object does not match the namespace sent on the request' ]
}

@test "unknown fields: Strict refuses, Warn warns, Ignore ignores" {
  cm='{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s"},"bogus":1}'
  run api_json POST '/api/v1/namespaces/default/configmaps?fieldValidation=Strict' "$cm"
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .message)" = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"' ]
  run curl -sk -D - -o /dev/null -H 'Content-Type: application/json' --data "$cm" \
    "$SERVER/api/v1/namespaces/default/configmaps?fieldValidation=Warn"
  [[ "$output" == *'Warning: 299 - "unknown field \"bogus\""'* ]]
  run api_json POST '/api/v1/namespaces/default/configmaps?fieldValidation=Strict' \
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","name":"e"}}'
  [ "$(code)" = 400 ]
  [[ "$(body | jq -r .message)" == *'duplicate field "metadata.name"'* ]]
}

@test "invalid names and objects are 422 with a cause per field" {
  run api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}'
  [ "$(code)" = 422 ]
  [ "$(body | jq -r .reason)" = Invalid ]
  [ "$(body | jq -r '.details.causes[0].field')" = metadata.name ]
  [[ "$(body | jq -r .message)" == 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": '* ]]
  run api_json POST /api/v1/namespaces/default/pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}'
  [ "$(code)" = 422 ]
  [[ "$(body | jq -r .message)" == *'spec.containers[0].image: Required value'* ]]
}

@test "unknown resources, wrong verbs, missing namespaces" {
  run api GET /api/v1/bogus
  [ "$(code)" = 404 ]
  [ "$(body | jq -r .message)" = 'the server could not find the requested resource' ]
  run api GET /apis/nope.example.com/v1/things
  [ "$(code)" = 404 ]
  run api DELETE /api/v1/namespaces
  [ "$(code)" = 405 ]
  [ "$(body | jq -r .reason)" = MethodNotAllowed ]
  run api_json POST /api/v1/namespaces/missing/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}'
  [ "$(code)" = 404 ]
  [ "$(body | jq -r .message)" = 'namespaces "missing" not found' ]
  run api DELETE /api/v1/namespaces/default
  [ "$(code)" = 403 ]
}

@test "a body over 3 MiB is 413 and the server keeps serving" {
  head -c 3200000 /dev/zero | tr '\0' 'a' | sed 's/^/{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"k":"/; s/$/"}}/' >"$BATS_TEST_TMPDIR/big.json"
  run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big.json"
  [ "$(code)" = 413 ]
  [ "$(body | jq -r .reason)" = RequestEntityTooLarge ]
  [ "$(body | jq -r .message)" = 'Request entity too large: limit is 3145728' ]
  run api GET /api/v1/namespaces/default/configmaps/big
  [ "$(code)" = 404 ]
  run api GET /readyz
  [ "$(code)" = 200 ]
}

@test "a client that disconnects mid-watch leaves the server and the data intact" {
  api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"keep"}}' >/dev/null
  for _ in 1 2 3 4 5; do
    timeout 0.3 curl -sk -N "$SERVER/api/v1/configmaps?watch=1" >/dev/null || true
  done
  run api GET /api/v1/namespaces/default/configmaps/keep
  [ "$(code)" = 200 ]
  run curl -sk "$SERVER/metrics"
  [[ "$output" == *'apiserver_registered_watchers{group="",kind="ConfigMap",version="v1"} 0'* ]]
}

@test "bad patches are refused and change nothing" {
  api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"},"data":{"a":"1"}}' >/dev/null
  run api PATCH /api/v1/namespaces/default/configmaps/p -H 'Content-Type: application/json-patch+json' \
    --data '[{"op":"test","path":"/data/a","value":"2"}]'
  [ "$(code)" = 422 ] || [ "$(code)" = 400 ]
  run api PATCH /api/v1/namespaces/default/configmaps/p -H 'Content-Type: application/merge-patch+json' --data '{bad'
  [ "$(code)" = 400 ]
  run api GET /api/v1/namespaces/default/configmaps/p
  [ "$(body | jq -r .data.a)" = 1 ]
}
