#!/usr/bin/env bats
# nodeagent with the process runtime, as root: real processes, cgroups,
# namespaces. Every test removes what it made (na_teardown).

bats_require_minimum_version 1.5.0

load '../helpers'
load 'lib'

setup() {
  [ "$(id -u)" = 0 ] || skip "needs root"
  na_setup
}
teardown() { na_teardown; }

@test "node: a pod runs as a process with its limits in its cgroup" {
  na_pod limited 'apiVersion: v1
kind: Pod
metadata: {name: limited}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "echo started; exec sleep 100000"]
    resources:
      requests: {cpu: 250m, memory: 64Mi}
      limits: {cpu: 500m, memory: 128Mi}'
  na_start --pod-max-pids 200
  na_wait 10 limited '.phase' Running
  run na_jq limited '.qosClass'
  assert_output Burstable
  uid=$(na_uid limited)
  pod_dirs=$(na_cgroup_dirs "$uid")
  [ -n "$pod_dirs" ]
  cid=$(na_jq limited '.containerStatuses[0].containerID' | sed 's|kubix://||')
  if [ -d /sys/fs/cgroup/memory ] && ! grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    mem=$(find /sys/fs/cgroup/memory -type d -path "*pod$uid/$cid")
    cpu=$(find /sys/fs/cgroup/cpu -type d -path "*pod$uid/$cid")
    [[ $mem == */kubepods/burstable/pod$uid/$cid ]]
    assert_equal "$(cat "$mem/memory.limit_in_bytes")" 134217728
    assert_equal "$(cat "$cpu/cpu.cfs_quota_us")" 50000
    assert_equal "$(cat "$cpu/cpu.cfs_period_us")" 100000
    assert_equal "$(cat "$cpu/cpu.shares")" 256
    assert_equal "$(cat "$(dirname "$cpu")/cpu.shares")" 256
    assert_equal "$(cat "$(dirname "$mem")/memory.limit_in_bytes")" 134217728
    pids=$(find /sys/fs/cgroup/pids -type d -name "pod$uid")
    assert_equal "$(cat "$pids/pids.max")" 200
    pid=$(head -n1 "$mem/cgroup.procs")
  else
    dir=$(find /sys/fs/cgroup -type d -path "*pod$uid/$cid")
    assert_equal "$(cat "$dir/memory.max")" 134217728
    assert_equal "$(cat "$dir/cpu.max")" "50000 100000"
    assert_equal "$(cat "$dir/cpu.weight")" 10
    pid=$(head -n1 "$dir/cgroup.procs")
  fi
  # The container's main process is an ordinary process of the host.
  run cat "/proc/$pid/cmdline"
  assert_output --partial sleep
  # Burstable: 1000 - 1000*64Mi/capacity.
  cap=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) * 1024))
  assert_equal "$(cat "/proc/$pid/oom_score_adj")" $((1000 - 1000 * 67108864 / cap))
  run curl -sf "$NA_URL/containerLogs/default/limited-$NA_NODE/app"
  assert_output started
}

@test "node: a memory hog is OOMKilled with exit code 137" {
  na_pod hog 'apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox
    command: [tail, /dev/zero]
    resources:
      limits: {memory: 32Mi}'
  na_start
  na_wait 20 hog '.phase' Failed
  run na_jq hog '.containerStatuses[0].state.terminated.reason'
  assert_output OOMKilled
  run na_jq hog '.containerStatuses[0].state.terminated.exitCode'
  assert_output 137
  run na_jq hog '.qosClass'
  assert_output Burstable
}

@test "node: a failing liveness probe restarts the container" {
  flag="$BATS_TEST_TMPDIR/alive"
  touch "$flag"
  na_pod live "apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: app
    image: busybox
    command: [sleep, '100000']
    livenessProbe:
      exec: {command: [test, -f, '$flag']}
      periodSeconds: 1
      failureThreshold: 2"
  na_start
  na_wait 10 live '.phase' Running
  sleep 2
  run na_jq live '.containerStatuses[0].restartCount'
  assert_output 0
  rm "$flag"
  na_wait 15 live '.containerStatuses[0].restartCount' 1
  touch "$flag"
  na_wait 10 live '.containerStatuses[0].state | keys[0]' running
  run na_jq live '.containerStatuses[0].lastState.terminated.exitCode'
  assert_output 143
  grep -q 'failed liveness probe, will be restarted' "$BATS_TEST_TMPDIR/nodeagent.log"
  sleep 3
  run na_jq live '.containerStatuses[0].restartCount'
  assert_output 1
}

@test "node: readiness gates the Ready condition" {
  ready="$BATS_TEST_TMPDIR/ready"
  na_pod gate "apiVersion: v1
kind: Pod
metadata: {name: gate}
spec:
  containers:
  - name: app
    image: busybox
    command: [sleep, '100000']
    readinessProbe:
      exec: {command: [test, -f, '$ready']}
      periodSeconds: 1"
  na_start
  na_wait 10 gate '.phase' Running
  sleep 1.5
  run na_jq gate '[.conditions[] | select(.type=="Ready") | .status][0]'
  assert_output False
  run na_jq gate '[.conditions[] | select(.type=="Ready") | .message][0]'
  assert_output 'containers with unready status: [app]'
  run na_jq gate '.containerStatuses[0].ready'
  assert_output false
  touch "$ready"
  na_wait 5 gate '[.conditions[] | select(.type=="Ready") | .status][0]' True
  na_wait 1 gate '[.conditions[] | select(.type=="ContainersReady") | .status][0]' True
  rm "$ready"
  na_wait 6 gate '[.conditions[] | select(.type=="Ready") | .status][0]' False
}

@test "node: logs stream with follow, tail, timestamps and previous" {
  na_pod talk 'apiVersion: v1
kind: Pod
metadata: {name: talk}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "i=0; while [ $i -lt 6 ]; do echo line $i; echo err $i >&2; i=$((i+1)); sleep 0.5; done; exit 3"]'
  na_start
  na_wait 10 talk '.phase' Running
  url="$NA_URL/containerLogs/default/talk-$NA_NODE/app"
  # follow streams lines as they come and ends when the container exits.
  start=$(date +%s%N)
  run curl -sN --max-time 20 "$url?follow=true"
  end=$(date +%s%N)
  assert_success
  assert_line "line 0"
  assert_line "line 5"
  assert_line "err 5"
  # It stayed open while the container ran (at least 1 s of its 3).
  [ $(((end - start) / 1000000)) -ge 1000 ]
  na_wait 10 talk '.containerStatuses[0].restartCount' 1
  run curl -sf "$url?previous=true&tailLines=2"
  assert_output $'line 5\nerr 5'
  run curl -sf "$url?previous=true&tailLines=1&timestamps=true"
  [[ $output =~ ^20[0-9-]+T[0-9:.]+Z\ err\ 5$ ]]
  run curl -sf "$url?previous=true&limitBytes=8"
  assert_output "line 0"$'\n'"e"
  file=$(find "$NA_ROOT/logs" -name 0.log)
  run head -n1 "$file"
  [[ $output =~ ^20[0-9-]+T[0-9:.]+Z\ (stdout|stderr)\ F\ (line|err)\ 0$ ]]
}

@test "node: deletion runs preStop, then SIGTERM, then SIGKILL after the grace period" {
  t="$BATS_TEST_TMPDIR"
  na_pod polite "apiVersion: v1
kind: Pod
metadata: {name: polite}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, \"trap 'echo term >> $t/events; exit 0' TERM; while true; do sleep 0.1; done\"]
    lifecycle:
      preStop:
        exec: {command: [sh, -c, 'echo prestop >> $t/events']}"
  na_pod stubborn "apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox
    command: [sh, -c, \"trap '' TERM; while true; do sleep 0.1; done\"]"
  na_start
  na_wait 10 polite '.phase' Running
  na_wait 10 stubborn '.phase' Running
  uid=$(na_uid stubborn)
  rm "$NA_MANIFESTS/polite.yaml"
  wait_until 10 bash -c "[ -z \"\$(curl -sf $NA_URL/pods | jq -r '.items[].metadata.name' | grep polite)\" ]"
  assert_equal "$(cat "$t/events")" $'prestop\nterm'
  start=$(date +%s)
  rm "$NA_MANIFESTS/stubborn.yaml"
  wait_until 20 bash -c "[ -z \"\$(curl -sf $NA_URL/pods | jq -r '.items[].metadata.name' | grep stubborn)\" ]"
  elapsed=$(($(date +%s) - start))
  [ "$elapsed" -ge 2 ] && [ "$elapsed" -le 6 ]
  # Nothing of the pods is left: no cgroup, no state.
  [ -z "$(na_cgroup_dirs "$uid")" ]
  [ ! -d "$NA_ROOT/pods/$uid" ]
  run pgrep -f "trap '' TERM"
  assert_failure
}

@test "node: a restarted nodeagent finds its pods running and carries on" {
  na_pod keep 'apiVersion: v1
kind: Pod
metadata: {name: keep}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "echo one; sleep 100000"]'
  na_start
  na_wait 10 keep '.phase' Running
  id1=$(na_jq keep '.containerStatuses[0].containerID')
  pid=$(pgrep -f "echo one; sleep 100000" | head -n1)
  [ -n "$pid" ]
  kill -TERM "$(daemon_pid nodeagent)"
  wait_until 10 bash -c "! kill -0 $(daemon_pid nodeagent) 2>/dev/null"
  kill -0 "$pid"
  na_start
  na_wait 10 keep '.phase' Running
  assert_equal "$(na_jq keep '.containerStatuses[0].containerID')" "$id1"
  assert_equal "$(na_jq keep '.containerStatuses[0].restartCount')" 0
  kill -0 "$pid"
  grep -q 'adopted pod from a previous run' "$BATS_TEST_TMPDIR/nodeagent.log"
  run curl -sf "$NA_URL/containerLogs/default/keep-$NA_NODE/app"
  assert_output one
  # The adopted container's exit is noticed too.
  kill -KILL "$pid"
  na_wait 10 keep '.containerStatuses[0].restartCount' 1
  run na_jq keep '.containerStatuses[0].lastState.terminated.exitCode'
  assert_output 137
}

@test "node: pods get network namespaces, IPs from the pod CIDR and reach each other" {
  na_pod srv 'apiVersion: v1
kind: Pod
metadata: {name: srv}
spec:
  containers:
  - name: http
    image: python
    command: [python3, -m, http.server, "8080", --directory, /proc/self]
    readinessProbe: {httpGet: {port: 8080}, periodSeconds: 1}'
  na_start --pod-network netns --pod-cidr "$NA_CIDR"
  na_wait 15 srv '[.conditions[] | select(.type=="Ready") | .status][0]' True
  ip=$(na_jq srv '.podIP')
  [[ $ip == "$NA_NET".* ]]
  uid=$(na_uid srv)
  ip netns list | grep -q "kubix-$uid"
  # The node reaches the pod.
  run curl -sf -o /dev/null -w '%{http_code}' "http://$ip:8080/"
  assert_output 200
  # Another pod reaches it, and sees its own address and hostname.
  na_pod cli "apiVersion: v1
kind: Pod
metadata: {name: cli}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: python
    command: [sh, -c, 'hostname; python3 -c \"import urllib.request; print(urllib.request.urlopen(\\\"http://$ip:8080/\\\").status)\"']"
  na_wait 15 cli '.phase' Succeeded
  run curl -sf "$NA_URL/containerLogs/default/cli-$NA_NODE/c"
  assert_output $'cli-'"$NA_NODE"$'\n200'
  cip=$(na_jq cli '.podIP')
  [ "$cip" != "$ip" ]
  rm "$NA_MANIFESTS/srv.yaml"
  wait_until 10 bash -c "! ip netns list | grep -q kubix-$uid"
}

@test "node: bad input fails only the pod, with upstream's reasons" {
  na_pod missing 'apiVersion: v1
kind: Pod
metadata: {name: missing}
spec:
  containers:
  - {name: app, image: busybox, command: [no-such-command-x]}'
  na_pod nomount 'apiVersion: v1
kind: Pod
metadata: {name: nomount}
spec:
  volumes:
  - {name: data, hostPath: {path: /nonexistent/kubix/dir, type: Directory}}
  containers:
  - {name: app, image: busybox, command: [sleep, "1000"], volumeMounts: [{name: data, mountPath: /data}]}'
  na_pod good 'apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "100000"]}'
  na_start
  na_wait 10 good '.phase' Running
  na_wait 10 missing '.containerStatuses[0].lastState.terminated.reason' StartError
  run na_jq missing '.containerStatuses[0].lastState.terminated.exitCode'
  assert_output 128
  run na_jq missing '.containerStatuses[0].lastState.terminated.message'
  assert_output 'exec: "no-such-command-x": executable file not found in $PATH'
  na_wait 10 missing '.containerStatuses[0].state.waiting.reason' CrashLoopBackOff
  run na_jq nomount '.containerStatuses[0].state.waiting.reason'
  assert_output ContainerCreating
  run na_jq nomount '.containerStatuses[0].state.waiting.message'
  assert_output 'MountVolume.SetUp failed for volume "data" : hostPath type check failed: /nonexistent/kubix/dir is not a directory'
  run na_jq good '.containerStatuses[0].restartCount'
  assert_output 0
  run curl -sf "$NA_URL/healthz/syncloop"
  assert_output ok
}

@test "node: an image with a root filesystem is pivoted into; missing images fail the pod" {
  img="$BATS_TEST_TMPDIR/images/mini:1"
  mkdir -p "$img/rootfs/bin" "$img/rootfs/etc"
  for b in /bin/sh /bin/cat; do
    cp -L "$b" "$img/rootfs/bin/"
    for lib in $(ldd "$b" | grep -o '/[^ ]*'); do
      mkdir -p "$img/rootfs$(dirname "$lib")"
      cp -L "$lib" "$img/rootfs$lib"
    done
  done
  echo "inside the image" >"$img/rootfs/etc/motd"
  printf '{"config":{"Env":["FROM_IMAGE=yes"],"Cmd":["sh","-c","cat /etc/motd; echo $FROM_IMAGE; echo /*"]}}' >"$img/config.json"
  na_pod pivot 'apiVersion: v1
kind: Pod
metadata: {name: pivot}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: "mini:1"}'
  na_pod never 'apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers:
  - {name: app, image: "example.com/never:1", imagePullPolicy: Never, command: [sleep, "1000"]}'
  na_pod pull 'apiVersion: v1
kind: Pod
metadata: {name: pull}
spec:
  containers:
  - {name: app, image: "busybox", command: [sleep, "1000"]}'
  na_start --image-dir "$BATS_TEST_TMPDIR/images" --image-fallback none
  na_wait 15 pivot '.phase' Succeeded
  na_wait 5 never '.containerStatuses[0].state.waiting.reason' ErrImageNeverPull
  run na_jq never '.containerStatuses[0].state.waiting.message'
  assert_output 'Container image "example.com/never:1" is not present with pull policy of Never'
  na_wait 5 pull '.containerStatuses[0].state.waiting.reason' ErrImagePull
  run curl -sf "$NA_URL/containerLogs/default/pivot-$NA_NODE/app"
  assert_line "inside the image"
  assert_line yes
  assert_line --partial "/bin /dev /etc"
  refute_output --partial "/home"
}

@test "node: init containers run in order, env and volumes reach the container" {
  # Mount points under the test's directory: on the host filesystem a
  # missing mount point would be created on the host.
  t="$BATS_TEST_TMPDIR"
  mkdir -p "$t/work" "$t/info"
  na_pod init "apiVersion: v1
kind: Pod
metadata: {name: init, labels: {app: web}}
spec:
  restartPolicy: Never
  volumes:
  - {name: work, emptyDir: {}}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
  initContainers:
  - {name: first, image: busybox, command: [sh, -c, 'echo first > $t/work/order'], volumeMounts: [{name: work, mountPath: '$t/work'}]}
  - {name: second, image: busybox, command: [sh, -c, 'echo second >> $t/work/order'], volumeMounts: [{name: work, mountPath: '$t/work'}]}
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'cat $t/work/order $t/info/labels; echo; echo \$MY_NAME \$MY_NS \$GREETING']
    env:
    - {name: MY_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: MY_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: GREETING, value: 'hello \$(MY_NAME)'}
    volumeMounts:
    - {name: work, mountPath: '$t/work'}
    - {name: info, mountPath: '$t/info'}"
  na_start
  na_wait 15 init '.phase' Succeeded
  run curl -sf "$NA_URL/containerLogs/default/init-$NA_NODE/main"
  assert_output $'first\nsecond\napp="web"\ninit-'"$NA_NODE default hello init-$NA_NODE"
  run na_jq init '[.initContainerStatuses[].state.terminated.reason] | join(",")'
  assert_output Completed,Completed
}

@test "node: exec runs commands inside the container over the WebSocket protocol" {
  na_pod shell 'apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "100000"]}'
  na_start
  na_wait 10 shell '.phase' Running
  ex="$KUBIX_TOP/tests/nodeagent/wsexec.py"
  base="/exec/default/shell-$NA_NODE/app"
  # stdout, stderr and the exit code, as kubectl exec shows them.
  run -7 python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=sh&command=-c&command=hostname%3B%20echo%20oops%20%3E%262%3B%20exit%207&stdout=1&stderr=1"
  assert_equal "$status" 7
  assert_line "shell-$NA_NODE"
  assert_line oops
  # stdin, closed with v5's stream close.
  run python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=cat&stdin=1&stdout=1" --stdin "piped in"
  assert_success
  assert_output "piped in"
  # v4 has no stream close but works otherwise.
  run python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=echo&command=v4&stdout=1" --protocol v4.channel.k8s.io
  assert_success
  assert_output v4
  # -it: a terminal.
  run python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=tty&stdin=1&stdout=1&tty=1" --stdin ""
  assert_success
  assert_output --regexp '^/dev/pts/[0-9]+'
  # The command runs in the container's cgroup.
  cid=$(na_jq shell '.containerStatuses[0].containerID' | sed 's|kubix://||')
  run python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=cat&command=/proc/self/cgroup&stdout=1"
  assert_output --partial "$cid"
  run -127 python3 "$ex" "127.0.0.1:$NA_PORT" "$base?command=no-such-command&stdout=1&stderr=1"
  assert_equal "$status" 127
  assert_output --partial 'executable file not found in $PATH'
  run curl -s "$NA_URL/exec/default/shell-$NA_NODE/nope?command=true&stdout=1"
  assert_output --partial 'container not found'
  run curl -s "$NA_URL$base?command=true&stdout=1"
  assert_output --partial 'WebSocket'
}
