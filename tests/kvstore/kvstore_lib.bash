# Shared by the kvstore suites: a real etcd and a kvstore started once per
# file (setup_file), killed in teardown_file even when tests fail.

# file_daemon NAME CMD...: like start_daemon, for the whole file.
file_daemon() {
  local name=$1
  shift
  "$@" >"$BATS_FILE_TMPDIR/$name.log" 2>&1 &
  echo "$! $name" >>"$BATS_FILE_TMPDIR/.daemons"
}

stop_file_daemons() {
  [ -f "$BATS_FILE_TMPDIR/.daemons" ] || return 0
  local pid name
  while read -r pid name; do kill -TERM "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/.daemons"
  for _ in $(seq 1 50); do
    local alive=0
    while read -r pid name; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$BATS_FILE_TMPDIR/.daemons"
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  while read -r pid name; do kill -KILL "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/.daemons"
  rm -f "$BATS_FILE_TMPDIR/.daemons"
}

# start_etcd: Debian's etcd on free loopback ports; sets ETCD (its URL).
start_etcd() {
  local c p
  c=$(free_port)
  p=$(free_port)
  file_daemon etcd etcd --data-dir "$BATS_FILE_TMPDIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$c" --advertise-client-urls "http://127.0.0.1:$c" \
    --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
    --initial-cluster "default=http://127.0.0.1:$p" "$@"
  export ETCD="http://127.0.0.1:$c"
  wait_for_url "$ETCD/health" 30
}

# start_kvstore [FLAGS...]: kvstore serve on a free port; sets KV.
start_kvstore() {
  local port
  port=$(free_port)
  file_daemon kvstore kvstore serve --data-dir "$BATS_FILE_TMPDIR/kv.$port" \
    --listen-client-urls "http://127.0.0.1:$port" "$@"
  export KV="http://127.0.0.1:$port"
  wait_for_url "$KV/health" 30
}

# b64 STRING: standard base64 without newlines.
b64() { printf %s "$1" | base64 -w0; }
