#!/usr/bin/env bats
# proxyrules' command line: render, hash, bad input, exit codes, man page,
# completion. Nothing here touches the system's rules.

load '../helpers'
bats_require_minimum_version 1.5.0

DIR="$BATS_TEST_DIRNAME"
TEST_FLAGS=(--hostname-override test-node --node-ip 192.168.0.2 --cluster-cidr 10.0.0.0/8)

@test "render writes kube-proxy's rules for upstream's overall scenario" {
  run proxyrules render -f "$DIR/overall.yaml" "${TEST_FLAGS[@]}"
  assert_success
  # Chain names hashed as upstream, probabilities with 10 decimals, the
  # production mark, --random-fully.
  assert_line '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O'
  assert_line '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC'
  assert_line '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80'
  assert_line '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT'
  assert_line '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000'
  assert_line '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully'
  # The nodeports jump is the last rule of nat KUBE-SERVICES.
  last=$(grep '^-A KUBE-SERVICES' <<<"$output" | tail -n1)
  [[ $last == *"must be the last rule in this chain"* ]]
  [ "${lines[0]}" = "*filter" ]
  [ "${lines[-1]}" = "COMMIT" ]
}

@test "render reads kubectl's JSON List from stdin and YAML alike" {
  # What `kubectl get svc,endpointslices -A -o json` prints, trimmed.
  cat >"$BATS_TEST_TMPDIR/list.json" <<'JSON'
{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
 {"apiVersion": "v1", "kind": "Service",
  "metadata": {"name": "web", "namespace": "default", "uid": "3f0c"},
  "spec": {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ipFamilies": ["IPv4"],
           "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
           "sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster"},
  "status": {"loadBalancer": {}}},
 {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
  "metadata": {"name": "web-x7k2p", "namespace": "default",
               "labels": {"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
  "endpoints": [{"addresses": ["10.244.1.5"], "conditions": {"ready": true, "serving": true, "terminating": false}, "nodeName": "n1"},
                {"addresses": ["10.244.2.7"], "conditions": {"ready": true, "serving": true, "terminating": false}, "nodeName": "n2"}],
  "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}
]}
JSON
  cat >"$BATS_TEST_TMPDIR/same.yaml" <<'YAML'
kind: Service
metadata: {name: web, namespace: default}
spec:
  clusterIP: 10.96.0.10
  ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]
---
kind: EndpointSlice
addressType: IPv4
metadata: {name: web-x7k2p, namespace: default, labels: {kubernetes.io/service-name: web}}
endpoints:
- {addresses: [10.244.1.5], nodeName: n1}
- {addresses: [10.244.2.7], nodeName: n2}
ports: [{name: http, port: 8080, protocol: TCP}]
YAML
  run bash -c "proxyrules render -f - --cluster-cidr 10.244.0.0/16 < '$BATS_TEST_TMPDIR/list.json'"
  assert_success
  assert_output --partial -- "-m statistic --mode random --probability 0.5000000000"
  assert_output --partial -- "--to-destination 10.244.2.7:8080"
  from_json=$output
  run proxyrules render --services "$BATS_TEST_TMPDIR/same.yaml" --endpoints "$BATS_TEST_TMPDIR/same.yaml" \
    --cluster-cidr 10.244.0.0/16
  assert_success
  [ "$output" = "$from_json" ]
}

@test "render --sort orders like upstream's tests" {
  run proxyrules render -f "$DIR/overall.yaml" "${TEST_FLAGS[@]}" --sort
  assert_success
  [ "${lines[1]}" = ":KUBE-NODEPORTS - [0:0]" ]
  [ "${lines[2]}" = ":KUBE-SERVICES - [0:0]" ]
  [ "${lines[6]}" = ":KUBE-PROXY-FIREWALL - [0:0]" ]
}

@test "Endpoints are the fallback for a service without EndpointSlices" {
  cat >"$BATS_TEST_TMPDIR/objs.yaml" <<'YAML'
kind: Service
metadata: {namespace: default, name: legacy}
spec:
  clusterIP: 10.96.0.20
  ports: [{port: 80, targetPort: 8080, protocol: TCP}]
---
kind: Endpoints
metadata: {namespace: default, name: legacy}
subsets:
- addresses: [{ip: 10.244.1.2}, {ip: 10.244.1.3}]
  notReadyAddresses: [{ip: 10.244.1.4}]
  ports: [{port: 8080, protocol: TCP}]
YAML
  run proxyrules render -f "$BATS_TEST_TMPDIR/objs.yaml"
  assert_success
  assert_output --partial -- "--to-destination 10.244.1.2:8080"
  assert_output --partial -- "--to-destination 10.244.1.3:8080"
  refute_output --partial "10.244.1.4"
  # An unnamed port's chains hash "ns/name" without ":port".
  assert_output --partial "$(proxyrules hash default/legacy | head -n1)"
}

@test "a malformed service or slice is skipped with a reason; the rest is written" {
  cat >"$BATS_TEST_TMPDIR/objs.yaml" <<'YAML'
kind: Service
metadata: {namespace: default, name: good}
spec:
  clusterIP: 10.96.0.30
  ports: [{name: http, port: 80, protocol: TCP}]
---
kind: Service
metadata: {namespace: default, name: badip}
spec:
  clusterIP: 10.96.0.999
  ports: [{name: http, port: 80, protocol: TCP}]
---
kind: Service
metadata: {namespace: default, name: port0}
spec:
  clusterIP: 10.96.0.31
  ports: [{name: http, port: 0, protocol: TCP}]
---
kind: Service
metadata: {namespace: default, name: proto}
spec:
  clusterIP: 10.96.0.32
  ports: [{name: http, port: 80, protocol: QUIC}]
---
kind: EndpointSlice
metadata: {namespace: default, name: good-1, labels: {kubernetes.io/service-name: good}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.5]}]
---
kind: EndpointSlice
metadata: {namespace: default, name: good-2, labels: {kubernetes.io/service-name: good}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [not-an-ip]}]
YAML
  run --separate-stderr proxyrules render -f "$BATS_TEST_TMPDIR/objs.yaml"
  assert_success
  assert_output --partial -- "--to-destination 10.244.0.5:8080"
  refute_output --partial 10.96.0.31
  refute_output --partial 10.96.0.32
  [[ $stderr == *'object="default/badip" reason="bad cluster IP \"10.96.0.999\""'* ]]
  [[ $stderr == *'object="default/port0" reason="spec.ports[0]: port must be in 1-65535"'* ]]
  [[ $stderr == *'object="default/proto" reason="spec.ports[0]: unknown protocol \"QUIC\""'* ]]
  [[ $stderr == *'kind="EndpointSlice" object="default/good-2" reason="endpoints[0]: bad address \"not-an-ip\""'* ]]
}

@test "hash prints upstream's chain names" {
  run proxyrules hash ns1/svc1:p80 --endpoint 10.180.0.1:80
  assert_success
  assert_output "KUBE-SVC-XPGD46QRK7WJZT7O
KUBE-SVL-XPGD46QRK7WJZT7O
KUBE-EXT-XPGD46QRK7WJZT7O
KUBE-FW-XPGD46QRK7WJZT7O
KUBE-SEP-SXIVWICOYRO3J4NJ"
  run proxyrules hash ns1/svc1 --protocol tcp
  assert_line KUBE-SVC-AQI2S6QIMU7PVVRP
}

@test "errors: usage is 2, unreadable input is 1, messages say proxyrules" {
  run --separate-stderr proxyrules render
  [ "$status" -eq 2 ]
  [[ $stderr == "proxyrules: no input"* ]]
  run --separate-stderr proxyrules render --bogus
  [ "$status" -eq 2 ]
  [[ $stderr == proxyrules:* ]]
  run --separate-stderr proxyrules render -f /nonexistent/objects.yaml
  [ "$status" -eq 1 ]
  [[ $stderr == *"/nonexistent/objects.yaml"* ]]
  run --separate-stderr proxyrules render -f "$DIR/overall.yaml" --cluster-cidr 10.0.0.0/33
  [ "$status" -eq 2 ]
  [[ $stderr == *"--cluster-cidr"* ]]
  run --separate-stderr proxyrules apply -f "$DIR/overall.yaml" --backend nosuch
  [ "$status" -eq 1 ]
  [[ $stderr == *'unknown backend "nosuch"'* ]]
  run --separate-stderr proxyrules
  [ "$status" -eq 2 ]
  run --separate-stderr bash -c "echo '{\"kind\": ' | proxyrules render -f -"
  [ "$status" -eq 1 ]
  [[ $stderr == proxyrules:* ]]
}

@test "the man page covers --help of every verb" {
  check_man_matches_help proxyrules
  local verb opt missing=()
  for verb in render diff apply cleanup run hash; do
    while read -r opt; do
      grep -q -- "${opt//-/\\\\-}" "$KUBIX_TOP/man/proxyrules.1" || missing+=("$verb $opt")
    done < <(proxyrules "$verb" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  done
  [ ${#missing[@]} -eq 0 ] || { echo "man/proxyrules.1 lacks: ${missing[*]}"; false; }
  grep -q '^\.SH EXIT STATUS' "$KUBIX_TOP/man/proxyrules.1"
}

@test "bash completion offers verbs, flags and backends" {
  source "$KUBIX_TOP/completions/proxyrules"
  COMP_WORDS=(proxyrules re); COMP_CWORD=1; _proxyrules
  [ "${COMPREPLY[*]}" = "render" ]
  COMP_WORDS=(proxyrules apply --back); COMP_CWORD=2; _proxyrules
  [ "${COMPREPLY[*]}" = "--backend" ]
  COMP_WORDS=(proxyrules apply --backend lib); COMP_CWORD=3; _proxyrules
  [ "${COMPREPLY[*]}" = "libiptc" ]
  COMP_WORDS=(proxyrules render --so); COMP_CWORD=2; _proxyrules
  [ "${COMPREPLY[*]}" = "--sort" ]
}
