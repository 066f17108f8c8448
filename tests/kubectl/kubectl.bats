#!/usr/bin/env bats
# An unmodified kubectl against a cluster brought up by scripts/cluster-up
# (apiserve with embedded storage), with kubectl's default client-side
# validation (no --validate=false anywhere).

load '../helpers'

setup_file() {
  export KUBIX_CLUSTER_DIR="$BATS_FILE_TMPDIR/cluster"
  APISERVE_PORT=$(free_port)
  export APISERVE_PORT
  "$KUBIX_TOP/scripts/cluster-up" >"$BATS_FILE_TMPDIR/cluster-up.out" 2>&1
  export KUBECONFIG="$KUBIX_CLUSTER_DIR/kubeconfig"
  export KUBECACHEDIR="$BATS_FILE_TMPDIR/kubecache"
}

teardown_file() {
  "$KUBIX_TOP/scripts/cluster-down" >/dev/null 2>&1 || true
}

teardown() {
  if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
    tail -n 30 "$KUBIX_CLUSTER_DIR/apiserve.log" || true
  fi
}

k() { kubectl --request-timeout=20s "$@"; }

# kubectl's default validation needs /openapi/v3 documents (apitypes' OpenAPI
# generator); until the server has them, tests that need it say so and skip.
needs_openapi() {
  curl -ksf "https://127.0.0.1:$APISERVE_PORT/openapi/v3" | jq -e '.paths["api/v1"]' >/dev/null ||
    skip "the server does not serve /openapi/v3 documents yet"
}

# kubectl's typed clients (create deployment/configmap/...) send protobuf
# bodies: probe with a dry-run protobuf ConfigMap.
needs_protobuf() {
  local code
  code=$(printf 'k8s\x00\x0a\x0f\x0a\x02v1\x12\x09ConfigMap\x12\x09\x0a\x07\x0a\x05probe' |
    curl -ks -o /dev/null -w '%{http_code}' -H 'Content-Type: application/vnd.kubernetes.protobuf' \
      --data-binary @- "https://127.0.0.1:$APISERVE_PORT/api/v1/namespaces/default/configmaps?dryRun=All")
  [ "$code" = 201 ] || skip "the server does not decode protobuf request bodies yet"
}

@test "cluster-up printed how to use the cluster" {
  grep -q "export KUBECONFIG=$KUBECONFIG" "$BATS_FILE_TMPDIR/cluster-up.out"
}

@test "kubectl version, api-resources, api-versions" {
  run k version -o json
  [ "$status" -eq 0 ]
  [ "$(jq -r .serverVersion.gitVersion <<<"$output")" = v1.32.4+kubix ]
  run k api-resources
  [ "$status" -eq 0 ]
  [[ "$output" == *"deployments"*"deploy"*"apps/v1"*"true"*"Deployment"* ]]
  run k api-resources --namespaced=false -o name
  [[ "$output" == *"nodes"* ]]
  [[ "$output" != *"pods"* ]]
  run k api-versions
  [[ "$output" == *"apps/v1"* ]]
  [[ "$output" == *"autoscaling/v2"* ]]
}

@test "create -f a multi-document YAML, then get in every output format" {
  needs_openapi
  cat >"$BATS_TEST_TMPDIR/app.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels: {app: shop, tier: config}
data:
  color: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
YAML
  run k create -f "$BATS_TEST_TMPDIR/app.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"namespace/shop created"* ]]
  [[ "$output" == *"configmap/settings created"* ]]
  [[ "$output" == *"deployment.apps/web created"* ]]

  run k get deploy -n shop
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^NAME\ +READY\ +UP-TO-DATE\ +AVAILABLE\ +AGE ]]
  [[ "${lines[1]}" =~ ^web\ +0/2 ]]
  run k get deploy -n shop -o wide
  [[ "${lines[0]}" == *"CONTAINERS"*"IMAGES"*"SELECTOR"* ]]
  [[ "${lines[1]}" == *"nginx:1.27"*"app=web"* ]]
  run k get cm settings -n shop -o yaml
  [[ "$output" == *"color: blue"* ]]
  run k get cm settings -n shop -o json
  [ "$(jq -r .data.color <<<"$output")" = blue ]
  run k get cm settings -n shop -o jsonpath='{.data.color}'
  [ "$output" = blue ]
  run k get deploy -n shop -o custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas
  [[ "${lines[1]}" =~ ^web\ +2$ ]]
  run k get cm -A
  [[ "$output" == *"shop"*"settings"* ]]
  [[ "${lines[0]}" == "NAMESPACE"* ]]
  run k get cm -n shop -l tier=config
  [[ "$output" == *"settings"* ]]
  run k get cm -n shop -l tier=none
  [[ "$output" == *"No resources found in shop namespace."* ]]
  run k get cm -n shop --field-selector metadata.name=settings
  [[ "$output" == *"settings"* ]]
  run k get cm -n shop --show-labels
  [[ "$output" == *"app=shop,tier=config"* ]]
  run k get ns
  [[ "$output" == *"kube-system"*"Active"* ]]
}

@test "get -w prints changes as they happen" {
  needs_protobuf
  k create ns watchme
  (k get cm -n watchme -w --request-timeout=4s >"$BATS_TEST_TMPDIR/w.out" 2>&1 || true) &
  wpid=$!
  sleep 1.5
  k create cm seen -n watchme --from-literal=a=b
  wait "$wpid"
  grep -q '^seen ' "$BATS_TEST_TMPDIR/w.out"
}

@test "describe" {
  needs_protobuf
  k create deployment desc --image=busybox:1.36 -n default
  run k describe deployment desc
  [ "$status" -eq 0 ]
  [[ "$output" == *"Name:"*"desc"* ]]
  [[ "$output" == *"busybox:1.36"* ]]
  run k describe ns default
  [[ "$output" == *"Status:"*"Active"* ]]
}

@test "apply -f twice: create, then a three-way update" {
  needs_openapi
  cat >"$BATS_TEST_TMPDIR/a.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: applied
  labels: {a: "1", b: "2"}
spec:
  replicas: 1
  selector: {matchLabels: {app: applied}}
  template:
    metadata: {labels: {app: applied}}
    spec:
      containers:
      - {name: c, image: nginx:1.26}
YAML
  run k apply -f "$BATS_TEST_TMPDIR/a.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"deployment.apps/applied created"* ]]
  # Someone else adds a label; the file drops b and changes replicas and image.
  k label deploy applied c=3
  sed -i 's/b: "2"//; s/replicas: 1/replicas: 4/; s/nginx:1.26/nginx:1.27/' "$BATS_TEST_TMPDIR/a.yaml"
  run k apply -f "$BATS_TEST_TMPDIR/a.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"deployment.apps/applied configured"* ]]
  run k get deploy applied -o json
  [ "$(jq -r .spec.replicas <<<"$output")" = 4 ]
  [ "$(jq -r '.spec.template.spec.containers[0].image' <<<"$output")" = nginx:1.27 ]
  [ "$(jq -r '.metadata.labels | keys | join(",")' <<<"$output")" = a,c ]
  run k apply -f "$BATS_TEST_TMPDIR/a.yaml"
  [[ "$output" == *"unchanged"* ]]
}

@test "replace, patch (strategic, merge, json), label, annotate" {
  needs_protobuf
  needs_openapi
  k create cm rep --from-literal=x=1
  k get cm rep -o yaml | sed 's/x: "1"/x: "2"/' >"$BATS_TEST_TMPDIR/rep.yaml"
  run k replace -f "$BATS_TEST_TMPDIR/rep.yaml"
  [ "$status" -eq 0 ]
  [ "$(k get cm rep -o jsonpath='{.data.x}')" = 2 ]
  run k patch cm rep -p '{"data":{"y":"s"}}'
  [ "$status" -eq 0 ]
  run k patch cm rep --type merge -p '{"data":{"z":"m"}}'
  [ "$status" -eq 0 ]
  run k patch cm rep --type json -p '[{"op":"replace","path":"/data/x","value":"j"}]'
  [ "$status" -eq 0 ]
  [ "$(k get cm rep -o jsonpath='{.data.x}{.data.y}{.data.z}')" = jsm ]
  k create deployment sm --image=nginx
  run k patch deploy sm -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:2"}]}}}}'
  [ "$status" -eq 0 ]
  [ "$(k get deploy sm -o jsonpath='{.spec.template.spec.containers[*].image}')" = nginx:2 ]
  run k label cm rep team=blue
  [[ "$output" == *"configmap/rep labeled"* ]]
  run k annotate cm rep note=hello
  [[ "$output" == *"configmap/rep annotated"* ]]
  [ "$(k get cm rep -o jsonpath='{.metadata.labels.team}/{.metadata.annotations.note}')" = blue/hello ]
  run k label cm rep team-
  [ "$(k get cm rep -o jsonpath='{.metadata.labels.team}')" = "" ]
}

@test "scale, set image, rollout restart" {
  needs_protobuf
  k create deployment sc --image=nginx:1
  run k scale deployment sc --replicas=5
  [ "$status" -eq 0 ]
  [[ "$output" == *"deployment.apps/sc scaled"* ]]
  [ "$(k get deploy sc -o jsonpath='{.spec.replicas}')" = 5 ]
  run k set image deployment/sc nginx=nginx:9
  [ "$status" -eq 0 ]
  [ "$(k get deploy sc -o jsonpath='{.spec.template.spec.containers[0].image}')" = nginx:9 ]
  run k rollout restart deployment/sc
  [ "$status" -eq 0 ]
  [[ "$output" == *"restarted"* ]]
  k get deploy sc -o jsonpath='{.spec.template.metadata.annotations}' | grep -q restartedAt
}

@test "edit with an EDITOR script" {
  needs_protobuf
  needs_openapi
  k create cm ed --from-literal=v=old
  cat >"$BATS_TEST_TMPDIR/editor" <<'SH'
#!/bin/sh
sed -i 's/v: old/v: new/' "$1"
SH
  chmod +x "$BATS_TEST_TMPDIR/editor"
  EDITOR="$BATS_TEST_TMPDIR/editor" run k edit cm ed
  [ "$status" -eq 0 ]
  [[ "$output" == *"configmap/ed edited"* ]]
  [ "$(k get cm ed -o jsonpath='{.data.v}')" = new ]
}

@test "create deployment/service/configmap/secret/namespace/job, expose" {
  needs_protobuf
  run k create namespace made
  [[ "$output" == "namespace/made created" ]]
  run k create configmap made-cm --from-literal=a=1 -n made
  [ "$status" -eq 0 ]
  run k create secret generic made-secret --from-literal=p=s3cret -n made
  [ "$status" -eq 0 ]
  [ "$(k get secret made-secret -n made -o jsonpath='{.data.p}' | base64 -d)" = s3cret ]
  run k create deployment made-web --image=nginx --replicas=2 -n made
  [ "$status" -eq 0 ]
  run k create service clusterip made-svc --tcp=80:8080 -n made
  [ "$status" -eq 0 ]
  [[ "$(k get svc made-svc -n made -o jsonpath='{.spec.clusterIP}')" == 10.0.0.* ]]
  run k create job made-job --image=busybox -n made -- echo hi
  [ "$status" -eq 0 ]
  run k expose deployment made-web --port 80 --type NodePort -n made
  [ "$status" -eq 0 ]
  run k get svc made-web -n made
  [[ "$output" == *"NodePort"*"80:3"*"/TCP"* ]]
}

@test "nodes: cordon, uncordon, taint, and wait --for=condition" {
  needs_openapi
  cat <<'YAML' | k create -f -
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/hostname: node-a}
YAML
  run k cordon node-a
  [[ "$output" == "node/node-a cordoned" ]]
  [ "$(k get node node-a -o jsonpath='{.spec.unschedulable}')" = true ]
  run k get nodes
  [[ "$output" == *"SchedulingDisabled"* ]]
  run k uncordon node-a
  [[ "$output" == "node/node-a uncordoned" ]]
  run k taint nodes node-a dedicated=gpu:NoSchedule
  [[ "$output" == "node/node-a tainted" ]]
  [ "$(k get node node-a -o jsonpath='{.spec.taints[0].key}')" = dedicated ]
  (k wait --for=condition=Ready node/node-a --timeout=20s >"$BATS_TEST_TMPDIR/wait.out" 2>&1; echo $? >"$BATS_TEST_TMPDIR/wait.rc") &
  wpid=$!
  sleep 1
  k patch node node-a --subresource=status --type merge \
    -p '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}'
  wait "$wpid"
  [ "$(cat "$BATS_TEST_TMPDIR/wait.rc")" = 0 ]
  grep -q "node/node-a condition met" "$BATS_TEST_TMPDIR/wait.out"
}

@test "delete waits for the object; delete namespace empties it" {
  needs_protobuf
  k create ns doomed
  k create cm a -n doomed --from-literal=x=y
  k create deployment d -n doomed --image=nginx
  run k delete cm a -n doomed
  [ "$status" -eq 0 ]
  [[ "$output" == 'configmap "a" deleted' ]]
  run k get cm a -n doomed
  [ "$status" -ne 0 ]
  [[ "$output" == *'configmaps "a" not found'* ]]
  run k delete namespace doomed --timeout=30s
  [ "$status" -eq 0 ]
  [[ "$output" == 'namespace "doomed" deleted' ]]
  run k get ns doomed
  [ "$status" -ne 0 ]
}

@test "explain and get --raw" {
  needs_openapi
  run k explain pod.spec.containers
  [ "$status" -eq 0 ]
  [[ "$output" == *"KIND:"*"Pod"* ]]
  [[ "$output" == *"image"* ]]
  run k get --raw /api/v1/namespaces/default
  [ "$(jq -r .metadata.name <<<"$output")" = default ]
  run k get --raw /healthz
  [ "$output" = ok ]
}

@test "errors read like upstream's" {
  needs_protobuf
  run k get pod nope
  [ "$status" -ne 0 ]
  [[ "$output" == *'Error from server (NotFound): pods "nope" not found'* ]]
  run k create cm Bad_Name
  [ "$status" -ne 0 ]
  [[ "$output" == *'is invalid: metadata.name: Invalid value: "Bad_Name"'* ]]
  run k get flowschemas
  [[ "$output" == *"catch-all"*"catch-all"*"10000"*"ByUser"* ]]
}

@test "apply -f a List and a multi-document file (validated against /openapi/v2 protobuf); explain" {
  run curl -ks -o /dev/null -w '%{http_code} %{content_type}' \
    -H 'Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf' \
    "https://127.0.0.1:$APISERVE_PORT/openapi/v2"
  [ "$output" = "200 application/com.github.proto-openapi.spec.v2.v1.0+protobuf" ]
  k create namespace lists
  cat >"$BATS_TEST_TMPDIR/list.yaml" <<'YAML'
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: from-list, namespace: lists}
  data: {a: b}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: listed, namespace: lists}
  spec:
    replicas: 2
    selector: {matchLabels: {app: listed}}
    template:
      metadata: {labels: {app: listed}}
      spec:
        containers:
        - {name: c, image: nginx, ports: [{containerPort: 80}]}
YAML
  run k apply -f "$BATS_TEST_TMPDIR/list.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"configmap/from-list created"* ]]
  [[ "$output" == *"deployment.apps/listed created"* ]]
  run k apply -f "$BATS_TEST_TMPDIR/list.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"configmap/from-list unchanged"* ]]
  # A List is validated on the client against the v2 document: errors name
  # the definition, and nothing is created.
  cat >"$BATS_TEST_TMPDIR/bad.yaml" <<'YAML'
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: never, namespace: lists}
  dataa: {}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: never, namespace: lists}
  spec:
    replicas: many
    selector: {matchLabels: {a: b}}
    template:
      metadata: {labels: {a: b}}
      spec: {containers: [{name: c, image: x}]}
YAML
  run k apply -f "$BATS_TEST_TMPDIR/bad.yaml"
  [ "$status" -ne 0 ]
  [[ "$output" == *'unknown field "dataa" in io.k8s.api.core.v1.ConfigMap'* ]]
  [[ "$output" == *'invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"'* ]]
  run k get configmap never -n lists
  [ "$status" -ne 0 ]
  # Multi-document YAML with a List inside.
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: doc1, namespace: lists}\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: doc2, namespace: lists}\n  stringData: {k: v}\n' \
    >"$BATS_TEST_TMPDIR/multi.yaml"
  run k apply -f "$BATS_TEST_TMPDIR/multi.yaml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"configmap/doc1 created"* && "$output" == *"secret/doc2 created"* ]]
  # explain from /openapi/v3 (the default) and from the v2 protobuf.
  run k explain pods.spec
  [ "$status" -eq 0 ]
  [[ "$output" == *"KIND:"*"Pod"* && "$output" == *"FIELD: spec <PodSpec>"* ]]
  [[ "$output" == *"containers"*"<[]Container> -required-"* ]]
  run k explain pods.spec --output=plaintext-openapiv2
  [ "$status" -eq 0 ]
  [[ "$output" == *"RESOURCE: spec <Object>"* ]]
  [[ "$output" == *"containers"* ]]
}

@test "a CRD applied with kubectl serves its resource at once: apply, get with printer columns, scale, delete" {
  cat >"$BATS_TEST_TMPDIR/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer, default: 1}
          status:
            type: object
            properties:
              replicas: {type: integer}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Image, type: string, jsonPath: .spec.image, priority: 1}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
YAML
  printf 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: my-cron, namespace: default}\nspec: {cronSpec: "* * * * */5", image: my-cron-image}\n' \
    >"$BATS_TEST_TMPDIR/cr.yaml"
  run k apply -f "$BATS_TEST_TMPDIR/crd.yaml"
  [ "$status" -eq 0 ]
  run k wait --for=condition=Established crd/crontabs.stable.example.com --timeout=20s
  [ "$status" -eq 0 ]
  # Validated against the CRD's schema in /openapi/v3 (unknown fields refused).
  printf 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: bad}\nspec: {cronSpec: x, bogus: 1}\n' >"$BATS_TEST_TMPDIR/bad.yaml"
  run k apply -f "$BATS_TEST_TMPDIR/bad.yaml"
  [ "$status" -ne 0 ]
  [[ "$output" == *'unknown field "spec.bogus"'* ]]
  run k apply -f "$BATS_TEST_TMPDIR/cr.yaml"
  [ "$status" -eq 0 ]
  [ "$output" = "crontab.stable.example.com/my-cron created" ]
  run k apply -f "$BATS_TEST_TMPDIR/cr.yaml"
  [ "$output" = "crontab.stable.example.com/my-cron unchanged" ]
  run k get crontabs
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^NAME\ +SPEC\ +REPLICAS\ +AGE$ ]]
  [[ "${lines[1]}" =~ ^my-cron\ +\*\ \*\ \*\ \*\ \*/5\ +1\ +[0-9]+s$ ]]
  run k get ct -o wide
  [[ "${lines[0]}" =~ ^NAME\ +SPEC\ +IMAGE\ +REPLICAS\ +AGE$ ]]
  [[ "${lines[1]}" == *"my-cron-image"* ]]
  run k get all
  [[ "$output" == *"crontab.stable.example.com/my-cron"* ]]
  run k api-resources --api-group=stable.example.com
  [[ "${lines[1]}" =~ ^crontabs\ +ct\ +stable.example.com/v1\ +true\ +CronTab$ ]]
  run k scale crontab my-cron --replicas=3
  [ "$status" -eq 0 ]
  run k get ct my-cron -o jsonpath='{.spec.replicas} {.metadata.generation}'
  [ "$output" = "3 2" ]
  run k explain crontab.spec
  [[ "$output" == *"cronSpec"*"<string>"* ]]
  # Deleting the CRD deletes its objects: created again, it starts empty.
  run k delete crd crontabs.stable.example.com
  [ "$status" -eq 0 ]
  run k apply -f "$BATS_TEST_TMPDIR/crd.yaml"
  [ "$status" -eq 0 ]
  k wait --for=condition=Established crd/crontabs.stable.example.com --timeout=20s
  run k get crontabs
  [ "$status" -eq 0 ]
  [[ "$output" == "No resources found in default namespace." ]]
  k delete crd crontabs.stable.example.com
}

@test "probes: each of exec, httpGet, tcpSocket and grpc is one handler; two are refused as upstream words it" {
  needs_openapi
  for h in 'exec: {command: ["true"]}' 'httpGet: {port: 8080}' 'tcpSocket: {port: 8080}' 'grpc: {port: 9090}'; do
    name=probe-$(cut -d: -f1 <<<"$h" | tr 'A-Z' 'a-z')
    cat >"$BATS_TEST_TMPDIR/$name.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $name}
spec:
  selector: {matchLabels: {app: $name}}
  template:
    metadata: {labels: {app: $name}}
    spec:
      containers:
      - name: c
        image: busybox:1.36
        readinessProbe: {$h}
        livenessProbe: {$h}
        startupProbe: {$h}
YAML
    run k apply -f "$BATS_TEST_TMPDIR/$name.yaml"
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [ "$output" = "deployment.apps/$name created" ]
    # Defaulting added no second handler.
    run k get deploy "$name" -o json
    [ "$(jq -r '.spec.template.spec.containers[0].readinessProbe | [keys[] | select(. == "exec" or . == "httpGet" or . == "tcpSocket" or . == "grpc")] | length' <<<"$output")" = 1 ]
    [ "$(jq -r '.spec.template.spec.containers[0].readinessProbe.periodSeconds' <<<"$output")" = 10 ]
  done
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: two-handlers}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    readinessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}}\n' \
    >"$BATS_TEST_TMPDIR/two.yaml"
  run k create -f "$BATS_TEST_TMPDIR/two.yaml"
  [ "$status" -ne 0 ]
  [[ "$output" == *'The Pod "two-handlers" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'* ]]
}

@test "finalizers hold a custom resource, and its CRD, until they are removed" {
  cat >"$BATS_TEST_TMPDIR/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.fin.example.com
spec:
  group: fin.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
  k apply -f "$BATS_TEST_TMPDIR/crd.yaml"
  k wait --for=condition=Established crd/widgets.fin.example.com --timeout=20s
  for w in held free; do
    printf 'apiVersion: fin.example.com/v1\nkind: Widget\nmetadata: {name: %s}\nspec: {size: 1}\n' "$w" |
      k apply -f -
  done
  k patch widget held --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'

  # A custom resource with a finalizer: deletionTimestamp set, the object kept.
  run k delete widget held --wait=false
  [ "$status" -eq 0 ]
  run k get widget held -o json
  [ "$status" -eq 0 ]
  [ "$(jq -r '.metadata.deletionTimestamp != null' <<<"$output")" = true ]
  [ "$(jq -r '.metadata.finalizers[0]' <<<"$output")" = example.com/hold ]

  # The CRD waits for it: Terminating, its cleanup finalizer kept, the free
  # widget deleted, and no new widget may be created meanwhile.
  run k delete crd widgets.fin.example.com --wait=false
  [ "$status" -eq 0 ]
  wait_until 20 bash -c "! kubectl get widget free >/dev/null 2>&1"
  run k get crd widgets.fin.example.com -o json
  [ "$status" -eq 0 ]
  [ "$(jq -r '.metadata.finalizers | index("customresourcecleanup.apiextensions.k8s.io") != null' <<<"$output")" = true ]
  [ "$(jq -r '.status.conditions[] | select(.type == "Terminating") | .status' <<<"$output")" = True ]
  run k get widget held -o name
  [ "$output" = widget.fin.example.com/held ]
  printf 'apiVersion: fin.example.com/v1\nkind: Widget\nmetadata: {name: late}\nspec: {size: 1}\n' >"$BATS_TEST_TMPDIR/late.yaml"
  run k create -f "$BATS_TEST_TMPDIR/late.yaml"
  [ "$status" -ne 0 ]
  [[ "$output" == *"create not allowed while custom resource definition is terminating"* ]]

  # The finalizer removed: the widget goes, then the CRD.
  k patch widget held --type=merge -p '{"metadata":{"finalizers":null}}'
  run k wait --for=delete crd/widgets.fin.example.com --timeout=20s
  [ "$status" -eq 0 ]
  run k get widget held
  [ "$status" -ne 0 ]

  # The same for a built-in kind.
  k create cm held
  k patch cm held --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'
  k delete cm held --wait=false
  run k get cm held -o jsonpath='{.metadata.deletionTimestamp}'
  [ -n "$output" ]
  k patch cm held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
  run k get cm held
  [ "$status" -ne 0 ]
  [[ "$output" == *'configmaps "held" not found'* ]]
}

@test "explicit nulls are dropped as typed decoding drops them; merge and json patch nulls delete" {
  needs_openapi
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nulls, labels: null, annotations: {a: null}}\ndata: null\n' \
    >"$BATS_TEST_TMPDIR/cm.yaml"
  k create -f "$BATS_TEST_TMPDIR/cm.yaml"
  run k get cm nulls -o json
  [ "$(jq -c '.metadata | has("labels")' <<<"$output")" = false ]
  [ "$(jq -c '.metadata.annotations' <<<"$output")" = '{"a":""}' ]
  [ "$(jq -c 'has("data")' <<<"$output")" = false ]
  cat >"$BATS_TEST_TMPDIR/d.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: nulls, labels: null}
spec:
  replicas: null
  selector: {matchLabels: {app: nulls}}
  template:
    metadata: {labels: {app: nulls}}
    spec:
      containers: [{name: c, image: busybox:1.36, env: null, args: null}]
YAML
  run k apply -f "$BATS_TEST_TMPDIR/d.yaml"
  [ "$status" -eq 0 ]
  run k get deploy nulls -o json
  [ "$(jq -c '.metadata | has("labels")' <<<"$output")" = false ]
  [ "$(jq -r '.spec.replicas' <<<"$output")" = 1 ]
  [ "$(jq -c '.spec.template.spec.containers[0] | has("env") or has("args")' <<<"$output")" = false ]
  spec=$(jq -cS .spec <<<"$output")
  # Again: kubectl's three-way patch carries the nulls (so it says
  # "configured", as against upstream), and the server finds no spec change.
  run k apply -f "$BATS_TEST_TMPDIR/d.yaml"
  [ "$status" -eq 0 ]
  [ "$(k get deploy nulls -o json | jq -cS .spec)" = "$spec" ]
  k label cm nulls x=1 y=2
  k patch cm nulls --type=merge -p '{"metadata":{"labels":{"x":null}},"data":{"k":"v","z":null}}'
  run k get cm nulls -o json
  [ "$(jq -c '.metadata.labels' <<<"$output")" = '{"y":"2"}' ]
  [ "$(jq -c '.data' <<<"$output")" = '{"k":"v"}' ]
  k patch cm nulls --type=json -p '[{"op":"replace","path":"/metadata/labels","value":null}]'
  run k get cm nulls -o json
  [ "$(jq -c '.metadata | has("labels")' <<<"$output")" = false ]
}
