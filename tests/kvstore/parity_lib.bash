# The parity harness: the same request goes to kvstore ($KV) and to Debian's
# etcd ($ETCD); status and body are compared after removing what legitimately
# differs. Field order is compared too (jq -c keeps it).

# Dropped everywhere: the member/cluster identity and raft term of headers.
NORM='walk(if type == "object" and has("cluster_id") then del(.cluster_id, .member_id, .raft_term) else . end)'

# post URL PATH BODY FILE: the HTTP status on stdout, the body in FILE.
post() {
  printf %s "$3" >"$BATS_TEST_TMPDIR/req.body"
  curl -s -o "$4" -w '%{http_code}' -X POST "$1$2" --data-binary "@$BATS_TEST_TMPDIR/req.body"
}

# normalize FILE FILTER: one line; JSON normalized with NORM and FILTER,
# anything else (text/plain 404s) as is.
normalize() {
  if jq -e . "$1" >/dev/null 2>&1; then
    jq -c "$NORM | $2" "$1"
  else
    cat "$1"
  fi
}

# same PATH BODY [FILTER] [STATUS_OVERRIDE]: sends to both, compares. FILTER
# (jq) masks values that legitimately differ.
same() {
  local path=$1 body=$2 filter=${3:-.}
  local kf="$BATS_TEST_TMPDIR/kv.out" ef="$BATS_TEST_TMPDIR/etcd.out" ks es kb eb
  ks=$(post "$KV" "$path" "$body" "$kf")
  es=$(post "$ETCD" "$path" "$body" "$ef")
  kb=$(normalize "$kf" "$filter")
  eb=$(normalize "$ef" "$filter")
  # Debian builds etcd 3.4 with grpc-gateway 1.6, which maps
  # FailedPrecondition (code 9) to 412; upstream 3.4.23 and 3.5 send 400.
  if [ "$es" = 412 ] && [ "$(jq -r .code "$ef" 2>/dev/null)" = 9 ]; then es=400; fi
  if [ "$ks $kb" != "$es $eb" ]; then
    echo "MISMATCH on POST $path $body" >&2
    echo "  kvstore: $ks $kb" >&2
    echo "  etcd:    $es $eb" >&2
    return 1
  fi
  LAST_BODY=$kb
}

# same_stream PATH BODY SECONDS [FILTER] [-- CMD...]: opens the stream on
# both, runs CMD (if any) against both meanwhile, compares the lines. Lines
# are grouped by watch_id (etcd interleaves different watchers' messages
# at random), order within a watcher is kept.
same_stream() {
  local path=$1 body=$2 secs=$3 filter=${4:-.}
  shift 4 || shift $#
  [ "${1:-}" = -- ] && shift
  local kf="$BATS_TEST_TMPDIR/kvs.out" ef="$BATS_TEST_TMPDIR/etcds.out"
  curl -s -N --max-time "$secs" -X POST "$KV$path" --data-binary "$body" >"$kf" &
  local kp=$!
  curl -s -N --max-time "$secs" -X POST "$ETCD$path" --data-binary "$body" >"$ef" &
  local ep=$!
  if [ $# -gt 0 ]; then
    sleep 0.5
    "$@"
  fi
  wait "$kp" "$ep" || true
  local group='map(. as $l | {k: (($l.result.watch_id // "0") | tostring), l: $l}) | group_by(.k) | map(map(.l))'
  local kb eb
  kb=$(jq -cs "map($NORM | $filter) | $group" "$kf")
  eb=$(jq -cs "map($NORM | $filter) | $group" "$ef")
  if [ "$kb" != "$eb" ]; then
    echo "MISMATCH on stream POST $path $body" >&2
    echo "  kvstore: $kb" >&2
    echo "  etcd:    $eb" >&2
    return 1
  fi
  LAST_STREAM=$kb
}

# both CMD...: runs a write against both servers (for use inside same_stream).
both_put() {
  curl -s -o /dev/null -X POST "$KV/v3/kv/put" --data-binary "$1"
  curl -s -o /dev/null -X POST "$ETCD/v3/kv/put" --data-binary "$1"
}
