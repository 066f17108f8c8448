#!/usr/bin/env bats
# Parity: the same sequence of JSON requests to kvstore and to Debian's etcd
# 3.4.23 (both fresh, started here), responses compared field by field and
# in order. Values that legitimately differ are masked where they occur:
#   - header cluster_id, member_id, raft_term (everywhere);
#   - status: version, dbSize, dbSizeInUse, leader, raftIndex, raftTerm,
#     raftAppliedIndex (a different engine and no raft log);
#   - a lease ID the server picks (random in etcd), the order of a lease's
#     keys (Go map order in etcd), and the remaining TTL of
#     a lease (wall-clock timing);
#   - the hash value and snapshot bytes (different database formats);
#   - /version strings;
#   - HTTP 412 vs 400 for gRPC FailedPrecondition (Debian's gateway build).
# The tests run in order and share the two servers: each request goes to both.

load '../helpers'
load 'kvstore_lib'
load 'parity_lib'

setup_file() {
  start_etcd
  start_kvstore
}

teardown_file() { stop_file_daemons; }

teardown() { [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs; }

A=$(printf /p/a | base64 -w0)
B=$(printf /p/b | base64 -w0)
C=$(printf /p/c | base64 -w0)
P=$(printf /p/ | base64 -w0)
PEND=$(printf /p0 | base64 -w0)
V1=$(printf one | base64 -w0)
V2=$(printf two | base64 -w0)

@test "put: shapes, prev_kv, camelCase, ignore_value" {
  same /v3/kv/put '{"key":"'"$A"'","value":"'"$V1"'"}'
  same /v3/kv/put '{"key":"'"$B"'","value":"'"$V2"'"}'
  same /v3/kv/put '{"key":"'"$A"'","value":"'"$V2"'","prev_kv":true}'
  same /v3/kv/put '{"key":"'"$C"'","value":"'"$V1"'","prevKv":true,"unknown":[1,{"x":2}]}'
  same /v3/kv/put '{"key":"'"$C"'","ignore_value":true,"prev_kv":true}'
  same /v3beta/kv/put '{"key":"'"$C"'","value":"'"$V2"'"}'
}

@test "put: etcd's errors for bad input, nothing stored changes" {
  same /v3/kv/put '{"key":"","value":"'"$V1"'"}'
  same /v3/kv/put '{"value":"'"$V1"'"}'
  same /v3/kv/put ''
  same /v3/kv/put '{"key":"'"$A"'","value":"MQ="}'
  same /v3/kv/put '{"key":"'"$A"'","value":"M-Q="}'
  same /v3/kv/put '{"key":"'"$A"'","value":"MQ=='
  same /v3/kv/put '{"key":"'"$A"'" "value":"MQ=="}'
  same /v3/kv/put 'xyz'
  same /v3/kv/put '[]'
  same /v3/kv/put '{"key":5}'
  same /v3/kv/put '{"key":"'"$A"'","lease":"abc"}'
  same /v3/kv/put '{"key":"'"$A"'","lease":1.5}'
  same /v3/kv/put '{"key":"'"$A"'","lease":"01"}'
  same /v3/kv/put '{"key":"'"$A"'","prev_kv":"true"}'
  same /v3/kv/put '{"key":"'"$A"'","value":"'"$V1"'","lease":12345}'
  same /v3/kv/put '{"key":"'"$A"'","value":"'"$V1"'","ignore_value":true}'
  same /v3/kv/put '{"key":"'"$A"'","lease":5,"ignore_lease":true}'
  same /v3/kv/put '{"key":"'"$(b64 /p/none)"'","ignore_value":true}'
  # Nothing above changed anything: same revision, same data.
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'"}'
}

@test "range: prefix, limit/more/count, keys_only, count_only, sort, revisions" {
  same /v3/kv/range '{"key":"'"$A"'"}'
  same /v3/kv/range '{"key":"'"$(b64 /p/none)"'"}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","limit":1}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","keys_only":true}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","count_only":true}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","sort_order":"DESCEND","sort_target":"MOD"}'
  same /v3/kv/range '{"key":"'"$P"'","rangeEnd":"'"$PEND"'","sortOrder":2,"sortTarget":"VALUE","keysOnly":true}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","revision":"3"}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","min_mod_revision":3,"max_mod_revision":4}'
  same /v3/kv/range '{"key":"'"$P"'","range_end":"'"$PEND"'","min_create_revision":3}'
  same /v3/kv/range '{"key":"AA==","range_end":"AA=="}'
  same /v3/kv/range '{"key":"'"$B"'","range_end":"AA=="}'
  same /v3/kv/range '{"key":"'"$A"'","revision":1000}'
  same /v3/kv/range '{"key":""}'
  same /v3/kv/range '{"key":"'"$A"'","sort_order":"BOGUS"}'
  same /v3/kv/range '{"key":"'"$A"'","limit":true}'
  same /v3/kv/range '{"key":"'"$A"'","limit":"99999999999999999999"}'
  same /v3/kv/range '{"key":"'"$A"'","limit":null,"serializable":null}'
  same /v3/kv/range '{"key":"'"$A"'","key":"'"$B"'"}'
}

@test "deleterange: one revision for many keys, none for nothing" {
  same /v3/kv/put '{"key":"'"$(b64 /d/1)"'","value":"'"$V1"'"}'
  same /v3/kv/put '{"key":"'"$(b64 /d/2)"'","value":"'"$V1"'"}'
  same /v3/kv/deleterange '{"key":"'"$(b64 /d/)"'","range_end":"'"$(b64 /d0)"'","prev_kv":true}'
  same /v3/kv/deleterange '{"key":"'"$(b64 /d/)"'","range_end":"'"$(b64 /d0)"'"}'
  same /v3/kv/deleterange '{"key":"'"$(b64 /nothing)"'"}'
  same /v3/kv/deleterange '{"key":""}'
  same /v3/kv/range '{"key":"'"$A"'"}'
}

@test "txn: compares, branches, nested, errors" {
  local K
  K=$(b64 /t/k)
  local create='{"compare":[{"key":"'"$K"'","result":"EQUAL","target":"MOD","mod_revision":"0"}],"success":[{"request_put":{"key":"'"$K"'","value":"'"$V1"'"}},{"request_range":{"key":"'"$K"'"}}],"failure":[{"request_range":{"key":"'"$K"'"}}]}'
  same /v3/kv/txn "$create"
  same /v3/kv/txn "$create"
  same /v3/kv/txn '{"compare":[{"key":"'"$K"'","target":"VALUE","result":"EQUAL","value":"'"$V1"'"}],"success":[{"request_txn":{"success":[{"request_put":{"key":"'"$K"'","value":"'"$V2"'","prev_kv":true}}]}}]}'
  same /v3/kv/txn '{"compare":[{"key":"'"$K"'","target":"VERSION","result":"GREATER","version":"1"}],"success":[{"request_delete_range":{"key":"'"$(b64 /nope)"'"}},{"request_txn":{}}]}'
  same /v3/kv/txn '{"compare":[{"key":"'"$(b64 /missing)"'","target":"VALUE","result":"NOT_EQUAL","value":"'"$V1"'"}]}'
  same /v3/kv/txn '{"compare":[{"key":"'"$(b64 /missing)"'","target":"CREATE","result":"LESS","create_revision":"1"}],"success":[{"request_range":{"key":"'"$K"'"}}]}'
  same /v3/kv/txn '{"compare":[{"key":"'"$K"'","target":"LEASE","result":"EQUAL","lease":"0"},{"key":"'"$P"'","range_end":"'"$PEND"'","target":"MOD","result":"GREATER","mod_revision":"1"}],"success":[{"request_range":{"key":"'"$P"'","range_end":"'"$PEND"'","count_only":true}}]}'
  same /v3/kv/txn '{"compare":[{"createRevision":"0","key":"'"$(b64 /camel)"'","target":"CREATE"}],"success":[{"requestPut":{"key":"'"$(b64 /camel)"'","value":"'"$V1"'"}}]}'
  same /v3/kv/txn '{}'
  same /v3/kv/txn '{"success":[{}]}'
  same /v3/kv/txn '{"success":[{"request_put":{"key":"'"$K"'"}},{"request_put":{"key":"'"$K"'"}}]}'
  same /v3/kv/txn '{"success":[{"request_put":{"key":"'"$K"'"}},{"request_delete_range":{"key":"'"$K"'"}}]}'
  same /v3/kv/txn '{"success":[{"request_put":{"key":"'"$K"'"}},{"request_txn":{"success":[{"request_put":{"key":"'"$K"'"}}]}}]}'
  same /v3/kv/txn '{"success":[{"request_txn":{"success":[{"request_put":{"key":"'"$K"'"}}],"failure":[{"request_put":{"key":"'"$K"'"}}]}}]}'
  same /v3/kv/txn '{"success":[{"request_put":{"key":""}}]}'
  same /v3/kv/txn '{"compare":[{"key":"'"$K"'","result":"NOPE"}]}'
  same /v3/kv/txn '{"compare":{}}'
  local ops='' i
  for i in $(seq 1 129); do ops+='{"request_range":{"key":"'"$K"'"}},'; done
  same /v3/kv/txn '{"success":['"${ops%,}"']}'
  ops=''
  for i in $(seq 1 128); do ops+='{"request_put":{"key":"'"$(b64 "/m/$i")"'"}},'; done
  same /v3/kv/txn '{"success":['"${ops%,}"']}'
  same /v3/kv/range '{"key":"'"$K"'"}'
}

@test "oversized request: etcd's error, nothing stored" {
  local big
  big=$(head -c 1700000 /dev/zero | base64 -w0)
  same /v3/kv/put '{"key":"'"$(b64 /big)"'","value":"'"$big"'"}'
  big=$(head -c 1000000 /dev/zero | base64 -w0)
  same /v3/kv/put '{"key":"'"$(b64 /big)"'","value":"'"$big"'"}' 'del(.header)'
  same /v3/kv/range '{"key":"'"$(b64 /big)"'","keys_only":true}'
}

@test "watch: history, prev_kv, several requests in one body, progress, cancel" {
  same_stream /v3/watch '{"create_request":{"key":"'"$P"'","range_end":"'"$PEND"'","start_revision":2,"prev_kv":true}} {"create_request":{"key":"'"$A"'","watch_id":7}} {"progress_request":{}} {"cancel_request":{"watch_id":7}} {"cancel_request":{"watch_id":99}}' 3 . -- \
    both_put '{"key":"'"$A"'","value":"'"$V1"'"}'
  same_stream /v3/watch '{"create_request":{"key":"'"$P"'","range_end":"'"$PEND"'","filters":["NOPUT"]}}' 3 . -- \
    curl_both_delete "$C"
  same_stream /v3/watch '{"create_request":{"key":"'"$A"'","watch_id":3}} {"create_request":{"key":"'"$A"'","watch_id":3}}' 2
  same_stream /v3/watch '{"create_request":{"key":"'"$A"'","start_revision":100000}}' 2
  same_stream /v3/watch '' 2
}

curl_both_delete() {
  curl -s -o /dev/null -X POST "$KV/v3/kv/deleterange" --data-binary '{"key":"'"$1"'"}'
  curl -s -o /dev/null -X POST "$ETCD/v3/kv/deleterange" --data-binary '{"key":"'"$1"'"}'
}

@test "watch: a malformed first request fails the call" {
  same /v3/watch '{"create_request":{"key":5}}'
}

@test "compaction: errors, reads and watches below it" {
  same /v3/kv/compaction '{"revision":5}'
  same /v3/kv/compaction '{"revision":5}'
  same /v3/kv/compaction '{"revision":4}'
  same /v3/kv/compaction '{"revision":100000}'
  same /v3/kv/range '{"key":"'"$A"'","revision":4}'
  same /v3/kv/range '{"key":"'"$A"'","revision":5}'
  same_stream /v3/watch '{"create_request":{"key":"'"$P"'","range_end":"'"$PEND"'","start_revision":2}} {"create_request":{"key":"'"$A"'","start_revision":3,"watch_id":5}}' 2
  same /v3/kv/compaction '{"revision":"6","physical":true}'
}

@test "leases: grant, attach, timetolive, keepalive, list, revoke" {
  same /v3/lease/grant '{"TTL":60,"ID":1000}'
  same /v3/lease/grant '{"TTL":"60","ID":"1000"}'
  same /v3/lease/grant '{"TTL":9999999999}'
  same /v3/lease/grant '{"TTL":1}' '.ID = "masked"'
  local auto
  auto=$(jq -r .ID <<<"$(curl -s -X POST "$KV/v3/lease/leases" -d '{}')" 2>/dev/null || true)
  same /v3/kv/put '{"key":"'"$(b64 /l/a)"'","value":"'"$V1"'","lease":1000}'
  same /v3/kv/put '{"key":"'"$(b64 /l/b)"'","value":"'"$V1"'","lease":"1000"}'
  # etcd lists a lease's keys in Go map order (random): compared sorted.
  same /v3/lease/timetolive '{"ID":1000,"keys":true}' '.TTL = "masked" | .keys |= sort'
  same /v3/kv/lease/timetolive '{"ID":1000}' '.TTL = "masked"'
  same /v3/lease/timetolive '{"ID":1001,"keys":true}'
  same_stream /v3/lease/keepalive '{"ID":1000} {"ID":1001} {"ID":"1000"}' 2
  same /v3/lease/leases '{}' '.leases |= map(select(.ID == "1000"))'
  same /v3/kv/lease/leases '{}' '.leases |= map(select(.ID == "1000"))'
  same /v3/lease/revoke '{"ID":1000}'
  same /v3/kv/lease/revoke '{"ID":1000}'
  same /v3/kv/range '{"key":"'"$(b64 /l/)"'","range_end":"'"$(b64 /l0)"'"}'
  same /v3/lease/revoke '{"ID":"abc"}'
}

@test "maintenance: status, alarm, defragment, hash, snapshot" {
  same /v3/maintenance/status '{}' 'del(.version, .dbSize, .dbSizeInUse, .leader, .raftIndex, .raftTerm, .raftAppliedIndex)'
  same /v3/maintenance/alarm '{}'
  same /v3/maintenance/alarm '{"action":"GET"}'
  same /v3/maintenance/alarm '{"action":"DEACTIVATE","memberID":"1","alarm":"NOSPACE"}'
  same /v3/maintenance/alarm '{"action":"BOGUS"}'
  same /v3/maintenance/defragment '{}'
  same /v3/maintenance/hash '{}' '.hash |= type'
  # Snapshot: the same stream shape; the bytes are each engine's own file.
  same_stream /v3/maintenance/snapshot '{}' 10 \
    '.result |= (if (.remaining_bytes // "0") == "0" then {last: true, blob_type: (.blob | type)} else {blob_type: (.blob | type)} end)'
  # Exactly one final chunk with a SHA-256 (32 bytes), preceded by the data.
  local kf="$BATS_TEST_TMPDIR/kvs.out"
  [ "$(tail -n1 "$kf" | jq -r '.result.blob' | base64 -d | wc -c)" = 32 ]
}

@test "plain routes and errors: 404, 405, /health, /version" {
  same /v3/kv/bogus '{}'
  same /v3/bogus '{}'
  same /bogus '{}'
  local k e
  k=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$KV/v3/kv/range")
  e=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$ETCD/v3/kv/range")
  [ "$k" = "$e" ]
  [ "$(curl -s "$KV/health")" = "$(curl -s "$ETCD/health")" ]
  k=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$KV/health")
  e=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$ETCD/health")
  [ "$k" = "$e" ]
  [ "$(curl -s "$KV/version" | jq -c 'keys')" = "$(curl -s "$ETCD/version" | jq -c 'keys')" ]
  k=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "$KV/v3/kv/range")
  [ "$k" = 200 ]
  curl -s "$KV/metrics" | grep -q '^etcd_debugging_mvcc_current_revision '
}

@test "the stores agree at the end" {
  same /v3/kv/range '{"key":"AA==","range_end":"AA=="}'
}

@test "the harness itself fails on a difference" {
  # Unmasked, the status replies differ (version, sizes): `same` must say so.
  run same /v3/maintenance/status '{}'
  assert_failure
  assert_output --partial MISMATCH
  run same_stream /v3/watch '{"create_request":{"key":"'"$A"'"}}' 2 '.result.header.revision = (now | tostring)'
  [ "$status" -ne 0 ] || [ -z "$(cat "$BATS_TEST_TMPDIR/kvs.out")" ]
}
