#!/usr/bin/env bats
# The client verbs against a real etcd and against kvstore serve.

load '../helpers'
load 'kvstore_lib'

setup_file() {
  start_etcd
  start_kvstore
}

teardown_file() { stop_file_daemons; }

teardown() { [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs; }

# Each check runs against both servers; $1 is the endpoint, $2 a key prefix.
check_put_get() {
  local ep=$1 p=$2
  run kvstore --endpoints "$ep" put "$p/a" hello
  assert_success
  assert_output OK
  run kvstore --endpoints "$ep" put "$p/b" "two words"
  assert_success
  printf 'from\nstdin' | kvstore --endpoints "$ep" put "$p/c" -
  run kvstore --endpoints "$ep" get "$p/" --prefix
  assert_success
  assert_output "$(printf '%s\nhello\n%s\ntwo words\n%s\nfrom\nstdin' "$p/a" "$p/b" "$p/c")"
  run kvstore --endpoints "$ep" get "$p/a" --print-value-only
  assert_output hello
  run kvstore --endpoints "$ep" get "$p/" --prefix --keys-only --limit 2
  assert_output "$(printf '%s\n%s' "$p/a" "$p/b")"
  run kvstore --endpoints "$ep" get "$p/a" "$p/c"
  assert_output "$(printf '%s\nhello\n%s\ntwo words' "$p/a" "$p/b")"
  run kvstore --endpoints "$ep" get "$p/" --prefix --count-only
  assert_output 3
  run kvstore --endpoints "$ep" -o json get "$p/a"
  assert_success
  [ "$(jq -r '.kvs[0].value | @base64d' <<<"$output")" = hello ]
  [ "$(jq -r '.count' <<<"$output")" = 1 ]
  [ "$(jq -r '.header.revision | type' <<<"$output")" = number ]
  local rev
  rev=$(jq -r '.kvs[0].mod_revision' <<<"$output")
  kvstore --endpoints "$ep" put "$p/a" again >/dev/null
  run kvstore --endpoints "$ep" get "$p/a" --rev "$rev" --print-value-only
  assert_output hello
  run kvstore --endpoints "$ep" get "$p/" --prefix --sort-by MODIFY --order DESCEND --keys-only --limit 1
  assert_output "$p/a"
  run kvstore --endpoints "$ep" del "$p/" --prefix
  assert_output 3
  run kvstore --endpoints "$ep" get "$p/" --prefix
  assert_output ""
}

@test "put/get/del against etcd" { check_put_get "$ETCD" /pg; }
@test "put/get/del against kvstore" { check_put_get "$KV" /kpg; }

check_watch() {
  local ep=$1 p=$2 out="$BATS_TEST_TMPDIR/watch.out"
  kvstore --endpoints "$ep" put "$p/x" 0 >/dev/null
  kvstore --endpoints "$ep" watch "$p/" --prefix >"$out" &
  local wpid=$!
  sleep 1
  kvstore --endpoints "$ep" put "$p/x" "1 2" >/dev/null
  kvstore --endpoints "$ep" put "$p/y" "$(printf 'a\nb')" >/dev/null
  kvstore --endpoints "$ep" del "$p/x" >/dev/null
  wait_until 10 grep -q DELETE "$out"
  kill -INT "$wpid"
  wait "$wpid"
  run cat "$out"
  assert_output "$(printf 'PUT %s 1 2\nPUT %s a\\nb\nDELETE %s' "$p/x" "$p/y" "$p/x")"
  # History replay, and a pipeline that stops reading: exits 0 promptly.
  run timeout 10 bash -c "kvstore --endpoints $ep watch $p/ --prefix --rev 1 | head -n 1"
  assert_success
  assert_output "PUT $p/x 0"
  run timeout 10 kvstore --endpoints "$ep" -o json watch "$p/y" --rev 1
  [ "$status" = 124 ]
  [ "$(jq -r '.kv.value | @base64d' <<<"$output")" = "$(printf 'a\nb')" ]
}

@test "watch against etcd" { check_watch "$ETCD" /w; }
@test "watch against kvstore" { check_watch "$KV" /kw; }

check_txn_compact() {
  local ep=$1 p=$2 k
  k=$(b64 "$p/k")
  local txn='{"compare":[{"key":"'$k'","target":"MOD","result":"EQUAL","mod_revision":"0"}],
    "success":[{"request_put":{"key":"'$k'","value":"'$(b64 v1)'"}}],
    "failure":[{"request_range":{"key":"'$k'"}}]}'
  run kvstore --endpoints "$ep" txn <<<"$txn"
  assert_success
  assert_output "$(printf 'SUCCESS\nOK')"
  run kvstore --endpoints "$ep" txn <<<"$txn"
  assert_output "$(printf 'FAILURE\n%s\nv1' "$p/k")"
  run kvstore --endpoints "$ep" -o json txn <<<"$txn"
  [ "$(jq -r '.responses[0].response_range.kvs[0].value | @base64d' <<<"$output")" = v1 ]
  run kvstore --endpoints "$ep" txn <<<'{"compare":'
  [ "$status" -eq 2 ]
  assert_output --partial "bad transaction on stdin: unexpected EOF"
  local rev
  rev=$(kvstore --endpoints "$ep" -o json get "$p/k" | jq -r .header.revision)
  run kvstore --endpoints "$ep" compact "$rev"
  assert_success
  assert_output "compacted revision $rev"
  run kvstore --endpoints "$ep" get "$p/k" --rev $((rev - 1))
  [ "$status" -eq 1 ]
  assert_output "kvstore: etcdserver: mvcc: required revision has been compacted"
  run kvstore --endpoints "$ep" watch "$p/k" --rev 1
  [ "$status" -eq 1 ]
  assert_output --partial "required revision has been compacted"
}

@test "txn and compact against etcd" { check_txn_compact "$ETCD" /t; }
@test "txn and compact against kvstore" { check_txn_compact "$KV" /kt; }

check_lease() {
  local ep=$1 p=$2 id
  run kvstore --endpoints "$ep" lease grant 60
  assert_success
  [[ $output =~ ^lease\ ([0-9a-f]+)\ granted\ with\ TTL\(60s\)$ ]]
  id=${BASH_REMATCH[1]}
  run kvstore --endpoints "$ep" put "$p/l" v --lease "$id"
  assert_success
  run kvstore --endpoints "$ep" lease timetolive "$id" --keys
  assert_output --regexp "^lease $id granted with TTL\(60s\), remaining\((59|60)s\), attached keys\(\[$p/l\]\)$"
  run kvstore --endpoints "$ep" lease keep-alive "$id" --once
  assert_output "lease $id keepalived with TTL(60)"
  run kvstore --endpoints "$ep" lease list
  assert_line "$id"
  run kvstore --endpoints "$ep" lease revoke "$id"
  assert_output "lease $id revoked"
  run kvstore --endpoints "$ep" get "$p/l"
  assert_output ""
  run kvstore --endpoints "$ep" lease timetolive "$id"
  assert_output "lease $id already expired"
  run kvstore --endpoints "$ep" lease revoke "$id"
  [ "$status" -eq 1 ]
  assert_output "kvstore: etcdserver: requested lease not found"
  run kvstore --endpoints "$ep" put "$p/l" v --lease 1234
  [ "$status" -eq 1 ]
  assert_output "kvstore: etcdserver: requested lease not found"
  run kvstore --endpoints "$ep" put "$p/l" v --lease xyz
  [ "$status" -eq 2 ]
}

@test "lease verbs against etcd" { check_lease "$ETCD" /l; }
@test "lease verbs against kvstore" { check_lease "$KV" /kl; }

check_maintenance() {
  local ep=$1
  run kvstore --endpoints "$ep" status
  assert_success
  assert_output --regexp "^$ep, [0-9a-f]+, 3\.[0-9]+\.[0-9]+, [0-9.]+ [kMG]?B, true, false, [0-9]+, [0-9]+, [0-9]+, [0-9]+$"
  run kvstore --endpoints "$ep" -o json status
  [ "$(jq -r '.[0].Status.dbSize > 0' <<<"$output")" = true ]
  run kvstore --endpoints "$ep" alarm list
  assert_success
  assert_output ""
  run kvstore --endpoints "$ep" alarm disarm
  assert_success
  run kvstore --endpoints "$ep" defrag
  assert_success
  assert_output "Finished defragmenting etcd member[$ep]"
  run kvstore --endpoints "$ep" snapshot save "$BATS_TEST_TMPDIR/snap.db"
  assert_success
  assert_output "Snapshot saved at $BATS_TEST_TMPDIR/snap.db"
  [ "$(($(stat -c %s "$BATS_TEST_TMPDIR/snap.db") % 4096))" = 0 ]
  [ ! -e "$BATS_TEST_TMPDIR/snap.db.part" ]
}

@test "status, alarm, defrag, snapshot against etcd" { check_maintenance "$ETCD"; }
@test "status, alarm, defrag, snapshot against kvstore" { check_maintenance "$KV"; }

@test "failover: a dead endpoint first, then a live one" {
  local dead
  dead=http://127.0.0.1:$(free_port)
  run kvstore --endpoints "$dead,$KV" put /f/x 1
  assert_success
  run kvstore --endpoints "$dead,$ETCD" get /f/x
  assert_success
}

@test "unreachable server: exit 3" {
  run kvstore --endpoints "127.0.0.1:$(free_port)" --dial-timeout 1s get x
  [ "$status" -eq 3 ]
  assert_output --partial "kvstore: "
  run kvstore --endpoints "127.0.0.1:$(free_port)" watch x
  [ "$status" -eq 3 ]
}

@test "bad usage: exit 2 with a message on stderr" {
  run kvstore get
  [ "$status" -eq 2 ]
  assert_output --partial "kvstore: "
  run kvstore get x --bogus
  [ "$status" -eq 2 ]
  run kvstore -o yaml get x
  [ "$status" -eq 2 ]
  run kvstore put x
  [ "$status" -eq 2 ]
  run kvstore lease grant
  [ "$status" -eq 2 ]
  run kvstore get x --prefix --from-key
  [ "$status" -eq 2 ]
  run kvstore --dial-timeout soon get x
  [ "$status" -eq 2 ]
  run kvstore
  [ "$status" -eq 2 ]
  assert_output --partial "Usage: kvstore"
  run kvstore nosuchverb
  [ "$status" -eq 2 ]
  run kvstore --help
  assert_success
  run kvstore get --help
  assert_success
  assert_output --partial "--print-value-only"
}

@test "man page matches --help" {
  check_man_matches_help kvstore
  for verb in "get" "put" "del" "watch" "serve"; do
    while read -r opt; do
      grep -q -- "${opt//-/\\\\-}" "$KUBIX_TOP/man/kvstore.1" || { echo "man lacks $verb $opt"; false; }
    done < <(kvstore "$verb" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  done
}

@test "bash completion" {
  source "$KUBIX_TOP/completions/kvstore"
  COMP_WORDS=(kvstore ge)
  COMP_CWORD=1
  _kvstore
  [ "${COMPREPLY[*]}" = get ]
  COMP_WORDS=(kvstore get --pre)
  COMP_CWORD=2
  _kvstore
  [ "${COMPREPLY[*]}" = --prefix ]
  COMP_WORDS=(kvstore -o "")
  COMP_CWORD=2
  _kvstore
  [ "${COMPREPLY[*]}" = "simple json" ]
  COMP_WORDS=(kvstore serve --auto-compaction-mode r)
  COMP_CWORD=3
  _kvstore
  [ "${COMPREPLY[*]}" = revision ]
}
