#!/usr/bin/env bats
# CRUD, list and watch semantics over HTTP. Runs against embedded storage, and
# against kvstore or etcd when APISERVE_BACKEND_FLAGS names one (see backends.bats).

load '../helpers'
load 'lib'

setup() {
  # shellcheck disable=SC2086
  apiserve_start ${APISERVE_BACKEND_FLAGS:-}
}

teardown() {
  [ -n "${BATS_TEST_COMPLETED:-}" ] || show_logs
  stop_daemons
}

cm() { echo "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$1\"},\"data\":{\"k\":\"${2:-v}\"}}"; }

@test "create, get, update with the right and a stale resourceVersion, delete" {
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm one)"
  [ "$(code)" = 201 ]
  rv=$(body | jq -r .metadata.resourceVersion)
  uid=$(body | jq -r .metadata.uid)
  [ -n "$uid" ] && [ "$rv" -gt 0 ]
  body | jq -e '.metadata.creationTimestamp | test("Z$")'

  run api GET /api/v1/namespaces/default/configmaps/one
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .data.k)" = v ]

  upd=$(body | jq -c '.data.k = "w"')
  run api_json PUT /api/v1/namespaces/default/configmaps/one "$upd"
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .metadata.resourceVersion)" -gt "$rv" ]

  # The same body again carries the old resourceVersion: 409 with upstream's text.
  run api_json PUT /api/v1/namespaces/default/configmaps/one "$upd"
  [ "$(code)" = 409 ]
  [ "$(body | jq -r .reason)" = Conflict ]
  [ "$(body | jq -r .message)" = 'Operation cannot be fulfilled on configmaps "one": the object has been modified; please apply your changes to the latest version and try again' ]

  run api_json POST /api/v1/namespaces/default/configmaps "$(cm one)"
  [ "$(code)" = 409 ]
  [ "$(body | jq -r .message)" = 'configmaps "one" already exists' ]

  run api DELETE /api/v1/namespaces/default/configmaps/one
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .status)" = Success ]
  run api GET /api/v1/namespaces/default/configmaps/one
  [ "$(code)" = 404 ]
  [ "$(body | jq -r .message)" = 'configmaps "one" not found' ]
}

@test "generateName, defaults and generation" {
  run api_json POST /apis/apps/v1/namespaces/default/deployments \
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"generateName":"web-"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}'
  [ "$(code)" = 201 ]
  name=$(body | jq -r .metadata.name)
  [[ $name =~ ^web-[bcdfghjklmnpqrstvwxz2456789]{5}$ ]]
  [ "$(body | jq -r .metadata.generation)" = 1 ]
  [ "$(body | jq -r .spec.replicas)" = 1 ]
  [ "$(body | jq -r .spec.strategy.type)" = RollingUpdate ]
  # A spec change bumps generation; a label change does not.
  run api PATCH "/apis/apps/v1/namespaces/default/deployments/$name" \
    -H 'Content-Type: application/merge-patch+json' --data '{"metadata":{"labels":{"x":"y"}}}'
  [ "$(body | jq -r .metadata.generation)" = 1 ]
  run api PATCH "/apis/apps/v1/namespaces/default/deployments/$name" \
    -H 'Content-Type: application/merge-patch+json' --data '{"spec":{"replicas":3}}'
  [ "$(body | jq -r .metadata.generation)" = 2 ]
  run api GET "/apis/apps/v1/namespaces/default/deployments/$name/scale"
  [ "$(body | jq -r .kind)" = Scale ]
  [ "$(body | jq -r .spec.replicas)" = 3 ]
}

@test "list with selectors, limit and continue" {
  for i in 1 2 3 4 5; do
    run api_json POST /api/v1/namespaces/default/configmaps \
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c$i\",\"labels\":{\"n\":\"$i\",\"odd\":\"$((i % 2))\"}}}"
    [ "$(code)" = 201 ]
  done
  run api GET '/api/v1/namespaces/default/configmaps?labelSelector=odd%3D1'
  [ "$(body | jq -r '[.items[].metadata.name] | join(",")')" = c1,c3,c5 ]
  run api GET '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dc2'
  [ "$(body | jq -r '[.items[].metadata.name] | join(",")')" = c2 ]
  run api GET '/api/v1/namespaces/default/configmaps?limit=2'
  [ "$(body | jq '.items | length')" = 2 ]
  tok=$(body | jq -r .metadata.continue)
  rv=$(body | jq -r .metadata.resourceVersion)
  [ -n "$tok" ] && [ "$tok" != null ]
  # Writes after the first page do not show in the next pages.
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm c0)"
  run api GET "/api/v1/namespaces/default/configmaps?limit=2&continue=$tok"
  [ "$(body | jq -r '[.items[].metadata.name] | join(",")')" = c3,c4 ]
  [ "$(body | jq -r .metadata.resourceVersion)" = "$rv" ]
  # resourceVersion=0 is served from the watch cache.
  run api GET '/api/v1/namespaces/default/configmaps?resourceVersion=0'
  [ "$(code)" = 200 ]
  body | jq -e '.items | length >= 6'
  run api GET '/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .reason)" = BadRequest ]
  run api GET '/api/v1/pods?fieldSelector=spec.bogus%3Dx'
  [ "$(code)" = 400 ]
  [ "$(body | jq -r .message)" = 'field label not supported: spec.bogus' ]
}

@test "watch: synthetic ADDED, changes, bookmarks at timeout, 410 in-stream" {
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm w1)"
  rv1=$(body | jq -r .metadata.resourceVersion)
  curl -sk -N "$SERVER/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&allowWatchBookmarks=true" \
    >"$BATS_TEST_TMPDIR/w.out" &
  wpid=$!
  sleep 1
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm w2)"
  run api DELETE /api/v1/namespaces/default/configmaps/w1
  wait "$wpid"
  run jq -r '.type + " " + (.object.metadata.name // "")' "$BATS_TEST_TMPDIR/w.out"
  [ "${lines[0]}" = "ADDED w1" ]
  [ "${lines[1]}" = "ADDED w2" ]
  [ "${lines[2]}" = "DELETED w1" ]
  [ "${lines[3]}" = "BOOKMARK " ]
  # Every event is one line.
  [ "$(wc -l <"$BATS_TEST_TMPDIR/w.out")" = 4 ]

  # From a revision: only later events.
  run curl -sk "$SERVER/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=$rv1"
  run jq -r '.type + " " + .object.metadata.name' <<<"$output"
  [ "${lines[0]}" = "ADDED w2" ]
  [ "${lines[1]}" = "DELETED w1" ]
  [ "${#lines[@]}" = 2 ]
}

@test "watch from a revision older than the watch cache gets 410 Expired in-stream" {
  stop_daemons
  apiserve_start --default-watch-cache-size 2 ${APISERVE_BACKEND_FLAGS:-}
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm e0)"
  rv0=$(body | jq -r .metadata.resourceVersion)
  for i in 1 2 3 4; do api_json POST /api/v1/namespaces/default/configmaps "$(cm "e$i")" >/dev/null; done
  sleep 0.5
  run curl -sk "$SERVER/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv0&timeoutSeconds=2"
  [ "$(jq -r .type <<<"$output")" = ERROR ]
  [ "$(jq -r .object.code <<<"$output")" = 410 ]
  [ "$(jq -r .object.reason <<<"$output")" = Expired ]
  [[ "$(jq -r .object.message <<<"$output")" == "too old resource version: $rv0 ("* ]]
}

@test "delete: finalizers keep an object until the last one is removed" {
  run api_json POST /api/v1/namespaces/default/configmaps \
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f","finalizers":["example.com/x"]}}'
  run api DELETE /api/v1/namespaces/default/configmaps/f
  [ "$(code)" = 200 ]
  body | jq -e '.metadata.deletionTimestamp != null'
  run api GET /api/v1/namespaces/default/configmaps/f
  [ "$(code)" = 200 ]
  run api PATCH /api/v1/namespaces/default/configmaps/f \
    -H 'Content-Type: application/merge-patch+json' --data '{"metadata":{"finalizers":null}}'
  [ "$(code)" = 200 ]
  run api GET /api/v1/namespaces/default/configmaps/f
  [ "$(code)" = 404 ]
}

@test "pods: binding, graceful delete of a bound pod, immediate delete of an unbound one" {
  pod='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}'
  run api_json POST /api/v1/namespaces/default/pods "$pod"
  [ "$(code)" = 201 ]
  [ "$(body | jq -r .status.phase)" = Pending ]
  run api_json POST /api/v1/namespaces/default/pods/p/binding \
    '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"n1"}}'
  [ "$(code)" = 201 ]
  run api GET /api/v1/namespaces/default/pods/p
  [ "$(body | jq -r .spec.nodeName)" = n1 ]
  run api_json POST /api/v1/namespaces/default/pods/p/binding \
    '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"n2"}}'
  [ "$(code)" = 409 ]
  run api DELETE /api/v1/namespaces/default/pods/p
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .metadata.deletionGracePeriodSeconds)" = 30 ]
  run api DELETE '/api/v1/namespaces/default/pods/p?gracePeriodSeconds=0'
  run api GET /api/v1/namespaces/default/pods/p
  [ "$(code)" = 404 ]
  run api_json POST /api/v1/namespaces/default/pods "$pod"
  run api DELETE /api/v1/namespaces/default/pods/p
  run api GET /api/v1/namespaces/default/pods/p
  [ "$(code)" = 404 ]
}

@test "services get a ClusterIP and NodePorts from the ranges, never twice" {
  svc() { echo "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"$1\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}"; }
  ips=() ports=()
  for i in 1 2 3 4 5 6; do
    run api_json POST /api/v1/namespaces/default/services "$(svc "s$i")"
    [ "$(code)" = 201 ]
    ips+=("$(body | jq -r .spec.clusterIP)")
    ports+=("$(body | jq -r '.spec.ports[0].nodePort')")
  done
  [ "$(printf '%s\n' "${ips[@]}" | sort -u | wc -l)" = 6 ]
  [ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" = 6 ]
  for ip in "${ips[@]}"; do [[ $ip == 10.0.0.* ]]; done
  for p in "${ports[@]}"; do [ "$p" -ge 30000 ] && [ "$p" -le 32767 ]; done
  # A taken port is refused with upstream's text.
  run api_json POST /api/v1/namespaces/default/services \
    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"dup\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":${ports[0]}}]}}"
  [ "$(code)" = 422 ]
  [[ "$(body | jq -r .message)" == *"provided port is already allocated"* ]]
  # Deleting frees them.
  run api DELETE /api/v1/namespaces/default/services/s1
  run api_json POST /api/v1/namespaces/default/services \
    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"again\"},\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"${ips[0]}\",\"ports\":[{\"port\":80,\"nodePort\":${ports[0]}}]}}"
  [ "$(code)" = 201 ]
}

@test "dryRun=All validates but stores nothing" {
  run api_json POST '/api/v1/namespaces/default/configmaps?dryRun=All' "$(cm dry)"
  [ "$(code)" = 201 ]
  run api GET /api/v1/namespaces/default/configmaps/dry
  [ "$(code)" = 404 ]
  run api_json POST '/api/v1/namespaces/default/configmaps?dryRun=Bogus' "$(cm dry)"
  [ "$(code)" = 400 ]
}

@test "the bootstrap namespaces, Service and flowcontrol objects exist" {
  run api GET /api/v1/namespaces
  [ "$(body | jq -r '[.items[].metadata.name] | sort | join(",")')" = default,kube-node-lease,kube-public,kube-system ]
  run api GET /api/v1/namespaces/default/services/kubernetes
  [ "$(body | jq -r .spec.clusterIP)" = 10.0.0.1 ]
  run api GET /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas
  [ "$(body | jq '.items | length')" = 13 ]
  run api GET /apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations/global-default
  [ "$(body | jq -r .spec.limited.nominalConcurrencyShares)" = 20 ]
}

@test "a CustomResourceDefinition is served at once" {
  crd='{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},"additionalPrinterColumns":[{"name":"Size","type":"string","jsonPath":".spec.size"}]}]}}'
  run api_json POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions "$crd"
  [ "$(code)" = 201 ]
  body | jq -e '.status.conditions[] | select(.type == "Established" and .status == "True")'
  run api_json POST /apis/example.com/v1/namespaces/default/widgets \
    '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":"L"}}'
  [ "$(code)" = 201 ]
  run api GET /apis/example.com/v1
  [ "$(body | jq -r '.resources[0].name')" = widgets ]
  run api GET /apis/example.com/v1/namespaces/default/widgets/w
  [ "$(body | jq -r .spec.size)" = L ]
}

@test "custom resources are pruned, defaulted and validated by their schema; tables use printer columns" {
  schema='{"type":"object","properties":{"spec":{"type":"object","required":["image"],"properties":{"image":{"type":"string","pattern":"^[a-z]+$"},"replicas":{"type":"integer","minimum":1,"default":2}}},"status":{"type":"object","properties":{"ready":{"type":"integer"}}}}}'
  crd="{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"gadgets.example.com\"},\"spec\":{\"group\":\"example.com\",\"scope\":\"Namespaced\",\"names\":{\"plural\":\"gadgets\",\"singular\":\"gadget\",\"kind\":\"Gadget\"},\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},\"schema\":{\"openAPIV3Schema\":$schema},\"additionalPrinterColumns\":[{\"name\":\"Image\",\"type\":\"string\",\"jsonPath\":\".spec.image\"},{\"name\":\"Replicas\",\"type\":\"integer\",\"jsonPath\":\".spec.replicas\"}]}]}}"
  run api_json POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions "$crd"
  [ "$(code)" = 201 ]
  base=/apis/example.com/v1/namespaces/default/gadgets
  # Unknown fields: pruned (with a warning by default), refused under Strict.
  run curl -sk -D - -H 'Content-Type: application/json' "$SERVER$base" \
    --data '{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g"},"spec":{"image":"nginx","bogus":1},"status":{"ready":3}}'
  [[ "$output" == *'Warning: 299 - "unknown field \"spec.bogus\""'* ]]
  run api GET "$base/g"
  [ "$(code)" = 200 ]
  [ "$(body | jq -c .spec)" = '{"image":"nginx","replicas":2}' ]
  [ "$(body | jq -r .metadata.generation)" = 1 ]
  [ "$(body | jq -r .status)" = null ]
  run api_json POST "$base?fieldValidation=Strict" \
    '{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g2"},"spec":{"image":"nginx","bogus":1}}'
  [ "$(code)" = 400 ]
  [[ "$(body | jq -r .message)" == *'strict decoding error: unknown field "spec.bogus"'* ]]
  # Schema violations: 422 with a cause per field.
  run api_json POST "$base" \
    '{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"bad"},"spec":{"image":"NGINX","replicas":0}}'
  [ "$(code)" = 422 ]
  [ "$(body | jq -r .reason)" = Invalid ]
  [[ "$(body | jq -r .message)" == 'Gadget.example.com "bad" is invalid: '* ]]
  [ "$(body | jq -r '[.details.causes[].field] | sort | join(",")')" = "spec.image,spec.replicas" ]
  run api_json POST "$base" '{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"bad"},"spec":{}}'
  [ "$(code)" = 422 ]
  [ "$(body | jq -r '.details.causes[0].reason')" = FieldValueRequired ]
  run api GET "$base/bad"
  [ "$(code)" = 404 ]
  # A spec change bumps generation; status goes through /status only.
  run api PATCH "$base/g" -H 'Content-Type: application/merge-patch+json' --data '{"spec":{"replicas":5}}'
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .metadata.generation)" = 2 ]
  run api PATCH "$base/g/status" -H 'Content-Type: application/merge-patch+json' --data '{"status":{"ready":5}}'
  [ "$(code)" = 200 ]
  [ "$(body | jq -r .status.ready)" = 5 ]
  [ "$(body | jq -r .metadata.generation)" = 2 ]
  # Tables: Name, then the CRD's additionalPrinterColumns (no Age unless listed).
  run api GET "$base" -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io'
  [ "$(body | jq -r '[.columnDefinitions[].name] | join(",")')" = "Name,Image,Replicas" ]
  [ "$(body | jq -c '.rows[0].cells[0:3]')" = '["g","nginx",5]' ]
}

@test "100 clients updating one object with stale resourceVersions: each lands or gets 409" {
  run api_json POST /api/v1/namespaces/default/configmaps "$(cm race 0)"
  rv=$(body | jq -r .metadata.resourceVersion)
  pids=()
  for i in $(seq 1 100); do
    api_json PUT /api/v1/namespaces/default/configmaps/race \
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"race\",\"resourceVersion\":\"$rv\"},\"data\":{\"k\":\"$i\"}}" \
      | tail -n1 >"$BATS_TEST_TMPDIR/r.$i" &
    pids+=($!)
  done
  wait "${pids[@]}"
  ok=$(cat "$BATS_TEST_TMPDIR"/r.* | grep -c 'HTTP 200' || true)
  conflicts=$(cat "$BATS_TEST_TMPDIR"/r.* | grep -c 'HTTP 409' || true)
  [ "$ok" = 1 ]
  [ "$conflicts" = 99 ]
  # Exactly one write landed: the resourceVersion moved once.
  run api GET /api/v1/namespaces/default/configmaps/race
  newrv=$(body | jq -r .metadata.resourceVersion)
  [ "$newrv" -gt "$rv" ]
  run curl -sk "$SERVER/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv&timeoutSeconds=1&fieldSelector=metadata.name%3Drace"
  [ "$(grep -c MODIFIED <<<"$output")" = 1 ]
}
