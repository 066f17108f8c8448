#!/usr/bin/env bats
# kvstore serve as a daemon: durability under SIGKILL, draining on SIGTERM,
# bad data dirs and flags, quota, auto-compaction, the README's commands.

load '../helpers'
load 'kvstore_lib'

teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
}

# serve NAME DIR [FLAGS...]: starts kvstore serve on a free port; sets URL.
serve() {
  local name=$1 dir=$2 port
  shift 2
  port=$(free_port)
  start_daemon "$name" kvstore serve --data-dir "$dir" --listen-client-urls "http://127.0.0.1:$port" "$@"
  URL="http://127.0.0.1:$port"
  wait_for_url "$URL/health" 30
}

# writer ID URL OUT: puts /crash/ID/N = N until killed; records "key rev" of
# every acknowledged put in OUT.
writer() {
  local id=$1 url=$2 out=$3 i=0 body resp rev
  while :; do
    i=$((i + 1))
    body='{"key":"'$(printf '/crash/%s/%06d' "$id" "$i" | base64 -w0)'","value":"'$(printf %s "$i" | base64 -w0)'"}'
    resp=$(curl -s --max-time 5 -X POST "$url/v3/kv/put" -d "$body") || continue
    rev=$(jq -r '.header.revision // empty' <<<"$resp" 2>/dev/null) || continue
    [ -n "$rev" ] && printf '/crash/%s/%06d %s\n' "$id" "$i" "$rev" >>"$out"
  done
}

@test "crash: SIGKILL under 8 concurrent writers loses no acknowledged write" {
  local dir="$BATS_TEST_TMPDIR/data" w pids=()
  serve kv "$dir"
  for w in $(seq 1 8); do
    writer "$w" "$URL" "$BATS_TEST_TMPDIR/acked.$w" &
    pids+=($!)
  done
  sleep 5
  kill -KILL "$(daemon_pid kv)"
  sleep 0.5
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  cat "$BATS_TEST_TMPDIR"/acked.* >"$BATS_TEST_TMPDIR/acked"
  local acked
  acked=$(wc -l <"$BATS_TEST_TMPDIR/acked")
  echo "acknowledged puts: $acked"
  # (A busy machine acknowledges few puts; any number proves the point.)
  [ "$acked" -gt 10 ]
  # No revision was handed out twice.
  [ -z "$(awk '{print $2}' "$BATS_TEST_TMPDIR/acked" | sort | uniq -d)" ]

  serve kv2 "$dir"
  kvstore --endpoints "$URL" -o json get /crash/ --prefix >"$BATS_TEST_TMPDIR/after.json"
  # Every acknowledged put is there, at the revision it was acknowledged with.
  jq -r '.kvs[] | "\(.key | @base64d) \(.mod_revision)"' "$BATS_TEST_TMPDIR/after.json" |
    sort >"$BATS_TEST_TMPDIR/stored"
  sort "$BATS_TEST_TMPDIR/acked" >"$BATS_TEST_TMPDIR/acked.sorted"
  run comm -23 "$BATS_TEST_TMPDIR/acked.sorted" "$BATS_TEST_TMPDIR/stored"
  assert_output ""
  # Revisions are dense: the stored puts are exactly revisions 2..current.
  local current
  current=$(jq -r .header.revision "$BATS_TEST_TMPDIR/after.json")
  jq -r '.kvs[].mod_revision' "$BATS_TEST_TMPDIR/after.json" | sort -n >"$BATS_TEST_TMPDIR/revs"
  run diff <(seq 2 "$current") "$BATS_TEST_TMPDIR/revs"
  assert_success
  # And the store goes on from there.
  run kvstore --endpoints "$URL" -o json put /crash/after x
  [ "$(jq -r .header.revision <<<"$output")" = $((current + 1)) ]
}

@test "SIGTERM drains and exits 0; watches end; data survives" {
  local dir="$BATS_TEST_TMPDIR/data"
  serve kv "$dir"
  kvstore --endpoints "$URL" put /k v
  curl -s -N -X POST "$URL/v3/watch" -d '{"create_request":{"key":"L2s="}}' >"$BATS_TEST_TMPDIR/w" &
  local curl_pid=$! pid
  sleep 0.3
  pid=$(daemon_pid kv)
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$pid" 2>/dev/null
  wait "$curl_pid" || true
  grep -q '"created":true' "$BATS_TEST_TMPDIR/w"
  grep -q 'shutting down' "$BATS_TEST_TMPDIR/kv.log"
  serve kv2 "$dir"
  run kvstore --endpoints "$URL" get /k --print-value-only
  assert_output v
}

@test "exit status 0 after SIGTERM" {
  local port
  port=$(free_port)
  kvstore serve --data-dir "$BATS_TEST_TMPDIR/d" --listen-client-urls "http://127.0.0.1:$port" \
    >"$BATS_TEST_TMPDIR/kv.log" 2>&1 &
  local pid=$!
  wait_for_url "http://127.0.0.1:$port/health"
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ]
}

@test "a corrupt or unwritable data dir: a clear error, exit 1" {
  mkdir -p "$BATS_TEST_TMPDIR/corrupt"
  head -c 65536 /dev/urandom >"$BATS_TEST_TMPDIR/corrupt/data.mdb"
  run kvstore serve --data-dir "$BATS_TEST_TMPDIR/corrupt" --listen-client-urls http://127.0.0.1:0
  [ "$status" -eq 1 ]
  assert_output --partial "kvstore: cannot open data dir '$BATS_TEST_TMPDIR/corrupt'"
  printf x >"$BATS_TEST_TMPDIR/file"
  run kvstore serve --data-dir "$BATS_TEST_TMPDIR/file/sub" --listen-client-urls http://127.0.0.1:0
  [ "$status" -eq 1 ]
  assert_output --partial "kvstore: cannot create data dir"
  if [ "$(id -u)" != 0 ]; then
    mkdir -p "$BATS_TEST_TMPDIR/ro"
    chmod 500 "$BATS_TEST_TMPDIR/ro"
    run kvstore serve --data-dir "$BATS_TEST_TMPDIR/ro" --listen-client-urls http://127.0.0.1:0
    [ "$status" -eq 1 ]
  fi
}

@test "bad serve flags: exit 2 with a message" {
  run kvstore serve --listen-client-urls ftp://x:1 --data-dir "$BATS_TEST_TMPDIR/d"
  [ "$status" -eq 2 ]
  assert_output --partial "kvstore: invalid --listen-client-urls"
  run kvstore serve --auto-compaction-mode hourly
  [ "$status" -eq 2 ]
  run kvstore serve --auto-compaction-mode revision --auto-compaction-retention 1h
  [ "$status" -eq 2 ]
  run kvstore serve --max-txn-ops 0 --data-dir "$BATS_TEST_TMPDIR/d"
  [ "$status" -eq 2 ]
  run kvstore serve --listen-client-urls https://127.0.0.1:0 --data-dir "$BATS_TEST_TMPDIR/d"
  [ "$status" -eq 2 ]
  run kvstore serve --bogus
  [ "$status" -eq 2 ]
}

@test "a port in use: exit 1 naming the address" {
  serve kv "$BATS_TEST_TMPDIR/a"
  run kvstore serve --data-dir "$BATS_TEST_TMPDIR/b" --listen-client-urls "$URL"
  [ "$status" -eq 1 ]
  assert_output --partial "${URL#http://}"
}

@test "several listen URLs, /v3beta, health endpoints, metrics" {
  local p1 p2
  p1=$(free_port)
  p2=$(free_port)
  start_daemon kv kvstore serve --data-dir "$BATS_TEST_TMPDIR/d" \
    --listen-client-urls "http://127.0.0.1:$p1,http://127.0.0.1:$p2"
  wait_for_url "http://127.0.0.1:$p2/health"
  kvstore --endpoints "127.0.0.1:$p1" put /x 1
  run kvstore --endpoints "127.0.0.1:$p2" get /x --print-value-only
  assert_output 1
  for p in /healthz /readyz /livez; do
    [ "$(curl -s "http://127.0.0.1:$p1$p")" = ok ]
  done
  curl -s "http://127.0.0.1:$p1/metrics" | grep -q '^etcd_mvcc_db_total_size_in_bytes '
  curl -s "http://127.0.0.1:$p1/metrics" | grep -q 'grpc_server_handled_total{'
}

@test "quota: NOSPACE alarm, reads go on, compact+defrag+disarm recovers" {
  serve kv "$BATS_TEST_TMPDIR/d" --quota-backend-bytes 1048576
  local v i
  v=$(head -c 60000 /dev/zero | tr '\0' x)
  for i in $(seq 1 40); do
    kvstore --endpoints "$URL" put "/q/$((i % 4))" "$v" >/dev/null 2>&1 || break
  done
  run kvstore --endpoints "$URL" put /q/more "$v"
  [ "$status" -eq 1 ]
  assert_output "kvstore: etcdserver: mvcc: database space exceeded"
  run kvstore --endpoints "$URL" alarm list
  assert_output --regexp "^memberID:[0-9]+ alarm:NOSPACE$"
  run kvstore --endpoints "$URL" get /q/1 --keys-only
  assert_output /q/1
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health")" = 503 ]
  local rev
  rev=$(kvstore --endpoints "$URL" -o json get /q/1 | jq -r .header.revision)
  kvstore --endpoints "$URL" del /q/ --prefix
  kvstore --endpoints "$URL" compact "$((rev + 1))" --physical
  kvstore --endpoints "$URL" defrag
  kvstore --endpoints "$URL" alarm disarm
  run kvstore --endpoints "$URL" put /q/again small
  assert_success
}

@test "auto-compaction in revision mode" {
  serve kv "$BATS_TEST_TMPDIR/d" --auto-compaction-mode revision --auto-compaction-retention 5
  local i
  for i in $(seq 1 20); do kvstore --endpoints "$URL" put /ac "$i" >/dev/null; done
  wait_until 20 bash -c "! kvstore --endpoints $URL get /ac --rev 3 >/dev/null 2>&1"
  run kvstore --endpoints "$URL" get /ac --rev 3
  assert_output --partial "required revision has been compacted"
}

@test "snapshot save restores as a data dir" {
  serve kv "$BATS_TEST_TMPDIR/d"
  kvstore --endpoints "$URL" put /s/a 1
  kvstore --endpoints "$URL" put /s/b 2
  kvstore --endpoints "$URL" snapshot save "$BATS_TEST_TMPDIR/snap.db"
  mkdir -p "$BATS_TEST_TMPDIR/restored"
  cp "$BATS_TEST_TMPDIR/snap.db" "$BATS_TEST_TMPDIR/restored/data.mdb"
  serve kv2 "$BATS_TEST_TMPDIR/restored"
  run kvstore --endpoints "$URL" get /s/ --prefix --print-value-only
  assert_output "$(printf '1\n2')"
}

@test "a client that disconnects mid-watch or mid-request costs nothing" {
  serve kv "$BATS_TEST_TMPDIR/d"
  local i
  for i in $(seq 1 50); do
    timeout 0.2 curl -s -N -X POST "$URL/v3/watch" -d '{"create_request":{"key":"L3c=","range_end":"AA=="}}' >/dev/null || true
  done
  # A body cut short: the request is dropped.
  printf 'POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"key":' |
    timeout 1 bash -c "cat > /dev/tcp/127.0.0.1/${URL##*:}" || true
  wait_until 10 bash -c "curl -s $URL/metrics | grep -q '^etcd_debugging_mvcc_watcher_total 0$'"
  kvstore --endpoints "$URL" put /w ok
  run kvstore --endpoints "$URL" get /w --print-value-only
  assert_output ok
}

@test "the README's main-job commands work" {
  local port
  port=$(free_port)
  # As in README.md, with a free port and a test data dir.
  start_daemon kv kvstore serve --data-dir "$BATS_TEST_TMPDIR/kvstore" \
    --listen-client-urls "http://127.0.0.1:$port"
  wait_for_url "http://127.0.0.1:$port/health"
  export KVSTORE_ENDPOINTS="127.0.0.1:$port"
  run bash -c 'kvstore put greeting hello && kvstore get greeting'
  assert_success
  assert_output "$(printf 'OK\ngreeting\nhello')"
  grep -q 'kvstore serve --data-dir' "$KUBIX_TOP/README.md"
}
