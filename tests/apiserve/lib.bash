# Helpers shared by the apiserve and kubectl suites: start an apiserve on free
# ports with its own state, talk to it with curl.

# apiserve_start [flags...]: starts apiserve (embedded storage unless flags say
# otherwise) under $BATS_TEST_TMPDIR; sets SERVER, APISERVE_PORT, KUBECONFIG.
apiserve_start() {
  APISERVE_PORT=$(free_port)
  local dir="$BATS_TEST_TMPDIR/apiserve-$APISERVE_PORT"
  mkdir -p "$dir"
  local extra=()
  # A store shared between tests (kvstore, etcd) gets a prefix per server.
  [[ " $* " == *" --etcd-servers"* ]] && extra=(--etcd-prefix "/registry-$APISERVE_PORT")
  start_daemon "apiserve-$APISERVE_PORT" apiserve --bind-address 127.0.0.1 \
    --secure-port "$APISERVE_PORT" --data-dir "$dir/data" --cert-dir "$dir/certs" \
    --etcd-compaction-interval 0 "${extra[@]}" "$@"
  SERVER="https://127.0.0.1:$APISERVE_PORT"
  wait_for_url "$SERVER/readyz" 30
  wait_until 20 curl -ksf "$SERVER/readyz"
  write_kubeconfig "$dir/kubeconfig" "$SERVER"
  export KUBECONFIG="$dir/kubeconfig" KUBECACHEDIR="$dir/kubecache"
}

# write_kubeconfig FILE SERVER
write_kubeconfig() {
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: t
  cluster:
    server: $2
    insecure-skip-tls-verify: true
users:
- name: u
  user: {}
contexts:
- name: t
  context: {cluster: t, user: u, namespace: default}
current-context: t
KC
}

# api METHOD PATH [curl args...]: prints the body, then a line "HTTP <code>".
api() {
  local method=$1 path=$2
  shift 2
  curl -sk -X "$method" -w '\nHTTP %{http_code}\n' "$@" "$SERVER$path"
}

# api_json METHOD PATH BODY [curl args]: a JSON request.
api_json() {
  local method=$1 path=$2 body=$3
  shift 3
  api "$method" "$path" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}

# body: the body part of the last `run api ...` output.
body() { sed '$d' <<<"$output"; }
# code: the status code of the last `run api ...`.
code() { tail -n1 <<<"$output" | awk '{print $2}'; }
