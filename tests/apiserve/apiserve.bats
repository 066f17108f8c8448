#!/usr/bin/env bats
# The daemon around the API: flags, certificates, health, metrics, the access
# log, discovery documents, shutdown, man page and completion.

load '../helpers'
load 'lib'

teardown() {
  # A storage process a test stopped must be able to exit.
  [ -z "${kv:-}" ] || kill -CONT "$kv" 2>/dev/null || true
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
}

@test "--help matches the man page and bad flags are usage errors" {
  check_man_matches_help apiserve
  run apiserve --secure-port 70000
  [ "$status" -eq 2 ]
  [[ "$output" == "apiserve: "* ]]
  run apiserve --service-cluster-ip-range bogus
  [ "$status" -eq 2 ]
  run apiserve --no-such-flag
  [ "$status" -eq 2 ]
}

@test "the bash completion completes flags" {
  source "$KUBIX_TOP/completions/apiserve"
  COMP_WORDS=(apiserve --etcd-s)
  COMP_CWORD=1
  _apiserve
  [ "${COMPREPLY[*]}" = "--etcd-servers" ]
  COMP_WORDS=(apiserve --fsync "")
  COMP_CWORD=2
  _apiserve
  [ "${COMPREPLY[*]}" = "true false" ]
}

@test "a self-signed certificate verifies for 127.0.0.1 and localhost" {
  apiserve_start
  ca="$BATS_TEST_TMPDIR/apiserve-$APISERVE_PORT/certs/ca.crt"
  run curl -s --cacert "$ca" "https://127.0.0.1:$APISERVE_PORT/healthz"
  [ "$output" = ok ]
  run curl -s --cacert "$ca" "https://localhost:$APISERVE_PORT/livez"
  [ "$output" = ok ]
  run curl -s --cacert "$ca" "https://127.0.0.1:$APISERVE_PORT/readyz?verbose"
  [[ "$output" == *"[+]etcd ok"* ]]
  [[ "$output" == *"readyz check passed"* ]]
}

@test "version, discovery content types and aggregated discovery" {
  apiserve_start
  run curl -sk "$SERVER/version"
  [ "$(jq -r .gitVersion <<<"$output")" = v1.32.4+kubix ]
  run curl -sk -D - -o /dev/null "$SERVER/api"
  [[ "$output" == *$'Content-Type: application/json\r'* ]]
  run curl -sk -D - -o /dev/null -H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' "$SERVER/apis"
  [[ "$output" == *'Content-Type: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'* ]]
  run curl -sk -H 'Accept: application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' "$SERVER/api"
  [ "$(jq -r .apiVersion <<<"$output")" = apidiscovery.k8s.io/v2beta1 ]
  [ "$(jq -r '.items[0].versions[0].resources[] | select(.resource == "pods") | .subresources[] | select(.subresource == "eviction") | .responseKind.group' <<<"$output")" = policy ]
  run curl -sk "$SERVER/apis/apps/v1"
  [ "$(jq -r '.resources[] | select(.name == "deployments/scale") | .group + "/" + .version + " " + .kind' <<<"$output")" = "autoscaling/v1 Scale" ]
}

@test "/openapi/v2 as JSON or protobuf by Accept, /openapi/v3 by hash, with ETags" {
  apiserve_start
  pb='application/com.github.proto-openapi.spec.v2@v1.0+protobuf'
  run curl -sk -D "$BATS_TEST_TMPDIR/h" -o "$BATS_TEST_TMPDIR/v2.pb" -H "Accept: $pb" "$SERVER/openapi/v2"
  grep -q $'^Content-Type: application/com.github.proto-openapi.spec.v2.v1.0+protobuf\r$' "$BATS_TEST_TMPDIR/h"
  # A gnostic Document starts with field 1 (swagger: "2.0").
  [ "$(head -c 5 "$BATS_TEST_TMPDIR/v2.pb" | od -An -c | tr -d ' ')" = '\n0032.0' ]
  grep -q 'io.k8s.api.core.v1.Pod' "$BATS_TEST_TMPDIR/v2.pb"
  etag=$(sed -n 's/^Etag: \(.*\)\r$/\1/p' "$BATS_TEST_TMPDIR/h")
  [[ "$etag" =~ ^\"[0-9A-F]{128}\"$ ]]
  run curl -sk -o /dev/null -w '%{http_code}' -H "Accept: $pb" -H "If-None-Match: $etag" "$SERVER/openapi/v2"
  [ "$output" = 304 ]
  # JSON when asked (or by default); 406 for what it cannot serve.
  run curl -sk -H 'Accept: application/json' "$SERVER/openapi/v2"
  [ "$(jq -r .swagger <<<"$output")" = 2.0 ]
  run curl -sk -H "Accept: text/plain, $pb;q=0" "$SERVER/openapi/v2"
  [ "$(jq -r .code <<<"$output")" = 406 ]
  [ "$(jq -r .reason <<<"$output")" = NotAcceptable ]
  # v3: the index names each document by its hash; that URL is immutable.
  url=$(curl -sk "$SERVER/openapi/v3" | jq -r '.paths["apis/apps/v1"].serverRelativeURL')
  [[ "$url" =~ ^/openapi/v3/apis/apps/v1\?hash=[0-9A-F]{128}$ ]]
  run curl -sk -D - -o /dev/null "$SERVER$url"
  [[ "$output" == *$'Cache-Control: public, immutable\r'* ]]
  [[ "$output" == *"Etag: \"${url#*hash=}\""* ]]
}

@test "metrics and one access-log line per request" {
  apiserve_start
  curl -sk -A 'bats-agent' -H 'Audit-ID: 0c1a1d2e-aaaa-bbbb-cccc-000000000001' "$SERVER/api/v1/namespaces/default/pods" >/dev/null
  run curl -sk "$SERVER/metrics"
  [[ "$output" == *'apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"}'* ]]
  [[ "$output" == *'apiserver_storage_objects{resource="namespaces"} 4'* ]]
  [[ "$output" == *'apiserver_request_duration_seconds_bucket{'* ]]
  log="$BATS_TEST_TMPDIR/apiserve-$APISERVE_PORT.log"
  run grep 'audit-ID="0c1a1d2e-aaaa-bbbb-cccc-000000000001"' "$log"
  [ "${#lines[@]}" = 1 ]
  [[ "$output" =~ \"HTTP\"\ verb=\"LIST\"\ URI=\"/api/v1/namespaces/default/pods\"\ latency=\"[0-9.]+(ns|µs|ms|s)\"\ userAgent=\"bats-agent\"\ audit-ID=\"0c1a1d2e-aaaa-bbbb-cccc-000000000001\"\ srcIP=\"127.0.0.1:[0-9]+\"\ resp=200 ]]
}

@test "every response carries the request's Audit-Id" {
  apiserve_start
  run curl -sk -D - -o /dev/null -H 'Audit-ID: 0c1a1d2e-aaaa-bbbb-cccc-000000000002' "$SERVER/api/v1/namespaces/default"
  [[ "$output" == *$'Audit-Id: 0c1a1d2e-aaaa-bbbb-cccc-000000000002\r'* ]]
  # Made up when the client sends none: on errors, discovery and watches too.
  for path in /api/v1/namespaces/nope /apis /version "/api/v1/pods?watch=1&timeoutSeconds=1"; do
    run curl -sk -D - -o /dev/null "$SERVER$path"
    [[ "$output" =~ Audit-Id:\ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} ]]
  done
  run grep -c 'audit-ID="0c1a1d2e-aaaa-bbbb-cccc-000000000002"' "$BATS_TEST_TMPDIR/apiserve-$APISERVE_PORT.log"
  [ "$output" = 1 ]
}

@test "--request-timeout answers 504 when storage stalls; ?timeout= shortens it" {
  [ -x "$KUBIX_TOP/build/bin/kvstore" ] || skip "kvstore is not built"
  cport=$(free_port)
  start_daemon kvstore kvstore serve --data-dir "$BATS_TEST_TMPDIR/kv" \
    --listen-client-urls "http://127.0.0.1:$cport"
  wait_until 20 curl -sf "http://127.0.0.1:$cport/health"
  apiserve_start --etcd-servers "http://127.0.0.1:$cport" --request-timeout 2
  run api GET '/api/v1/namespaces/default/configmaps?timeout=soon'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .message)" = 'invalid timeout specified in the request URL - time: invalid duration "soon"' ]
  kv=$(daemon_pid kvstore)
  kill -STOP "$kv"
  SECONDS=0
  run api GET /api/v1/namespaces/default/configmaps
  took=$SECONDS
  [ "$(code)" = 504 ]
  [ "$(body | jq -r .reason)" = Timeout ]
  [ "$(body | jq -r .message)" = "Timeout: request did not complete within requested timeout - context deadline exceeded" ]
  [ "$took" -ge 1 ] && [ "$took" -le 5 ]
  SECONDS=0
  run api GET '/api/v1/namespaces/default/configmaps?timeout=500ms'
  [ "$(code)" = 504 ]
  [ "$SECONDS" -le 1 ]
  kill -CONT "$kv"
  # The server keeps serving once storage answers again.
  wait_until 20 bash -c "curl -ksf '$SERVER/api/v1/namespaces/default/configmaps' >/dev/null"
}

@test "SIGTERM ends watches cleanly and exits 0; data survives a restart" {
  apiserve_start
  api_json POST /api/v1/namespaces/default/configmaps '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"persist"}}' >/dev/null
  curl -sk -N "$SERVER/api/v1/configmaps?watch=1" >"$BATS_TEST_TMPDIR/watch.out" &
  cpid=$!
  # The watch is open once its synthetic ADDED arrived.
  wait_until 15 grep -q persist "$BATS_TEST_TMPDIR/watch.out"
  pid=$(daemon_pid "apiserve-$APISERVE_PORT")
  kill -TERM "$pid"
  wait_until 15 bash -c "! kill -0 $pid"
  rc=0
  wait "$cpid" || rc=$?
  echo "curl exited $rc" >&2
  [ "$rc" = 0 ]  # the watch ended (curl exits 0 on a cleanly finished stream)
  dir="$BATS_TEST_TMPDIR/apiserve-$APISERVE_PORT"
  port=$APISERVE_PORT
  start_daemon again apiserve --bind-address 127.0.0.1 --secure-port "$port" \
    --data-dir "$dir/data" --cert-dir "$dir/certs"
  wait_until 20 curl -ksf "$SERVER/readyz"
  run api GET /api/v1/namespaces/default/configmaps/persist
  [ "$(code)" = 200 ]
}

@test "the insecure port serves plain HTTP on loopback only" {
  iport=$(free_port)
  apiserve_start --insecure-port "$iport"
  run curl -s "http://127.0.0.1:$iport/api/v1/namespaces/default"
  [ "$(jq -r .metadata.name <<<"$output")" = default ]
  run ss -Htln "sport = :$iport"
  [[ "$output" == *"127.0.0.1:$iport"* ]]
}
