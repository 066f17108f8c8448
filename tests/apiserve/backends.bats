#!/usr/bin/env bats
# The CRUD/watch suite again, with --etcd-servers pointing at a real etcd
# (Debian's etcd 3.4 at /usr/bin/etcd) and at kvstore.

load '../helpers'

teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
}

@test "the CRUD/watch suite passes against a real etcd" {
  command -v etcd >/dev/null || skip "etcd is not installed"
  cport=$(free_port)
  pport=$(free_port)
  start_daemon etcd etcd --data-dir "$BATS_TEST_TMPDIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "default=http://127.0.0.1:$pport"
  wait_until 20 curl -sf "http://127.0.0.1:$cport/health"
  APISERVE_BACKEND_FLAGS="--etcd-servers http://127.0.0.1:$cport" run bats "$BATS_TEST_DIRNAME/crud.bats"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "the CRUD/watch suite passes against kvstore" {
  [ -x "$KUBIX_TOP/build/bin/kvstore" ] || skip "kvstore is not built"
  cport=$(free_port)
  start_daemon kvstore kvstore serve --data-dir "$BATS_TEST_TMPDIR/kv" \
    --listen-client-urls "http://127.0.0.1:$cport"
  wait_until 20 curl -sf "http://127.0.0.1:$cport/health"
  APISERVE_BACKEND_FLAGS="--etcd-servers http://127.0.0.1:$cport" run bats "$BATS_TEST_DIRNAME/crud.bats"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "two apiserve instances on one etcd see each other's writes and never share an IP" {
  command -v etcd >/dev/null || skip "etcd is not installed"
  load 'lib'
  cport=$(free_port)
  pport=$(free_port)
  start_daemon etcd etcd --data-dir "$BATS_TEST_TMPDIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "default=http://127.0.0.1:$pport"
  wait_until 20 curl -sf "http://127.0.0.1:$cport/health"
  a=$(free_port)
  b=$(free_port)
  start_daemon a apiserve --bind-address 127.0.0.1 --secure-port "$a" --cert-dir "$BATS_TEST_TMPDIR/ca" \
    --etcd-servers "http://127.0.0.1:$cport" --service-cluster-ip-range 10.9.0.0/28
  start_daemon b apiserve --bind-address 127.0.0.1 --secure-port "$b" --cert-dir "$BATS_TEST_TMPDIR/cb" \
    --etcd-servers "http://127.0.0.1:$cport" --service-cluster-ip-range 10.9.0.0/28
  wait_until 20 curl -ksf "https://127.0.0.1:$a/readyz"
  wait_until 20 curl -ksf "https://127.0.0.1:$b/readyz"
  # b's watch cache (fed by its own store watch) sees a write made through a.
  curl -sk -H 'Content-Type: application/json' --data '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"via-a"}}' \
    "https://127.0.0.1:$a/api/v1/namespaces/default/configmaps" >/dev/null
  wait_until 20 bash -c "curl -sk 'https://127.0.0.1:$b/api/v1/namespaces/default/configmaps/via-a?resourceVersion=0' | grep -q '\"via-a\"'"
  pids=()
  # Services created alternately through both get distinct IPs (13 free in a /28 after kubernetes).
  for i in $(seq 1 12); do
    port=$a; [ $((i % 2)) = 0 ] && port=$b
    curl -sk -H 'Content-Type: application/json' \
      --data "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s$i\"},\"spec\":{\"ports\":[{\"port\":80}]}}" \
      "https://127.0.0.1:$port/api/v1/namespaces/default/services" >/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  run bash -c "curl -sk https://127.0.0.1:$a/api/v1/services | jq -r '.items[].spec.clusterIP' | sort | uniq -d"
  [ -z "$output" ]
  run bash -c "curl -sk https://127.0.0.1:$a/api/v1/services | jq '.items | length'"
  [ "$output" = 13 ]
}
