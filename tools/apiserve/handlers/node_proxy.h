// The pod subresources a node serves, pods/log and pods/exec, proxied to
// the node agent of the pod's node as kube-apiserver proxies them to the
// kubelet. pods/attach and pods/portforward are not served yet (503).
//
// The node is found from the pod's spec.nodeName and reached at its first
// InternalIP (else ExternalIP, else Hostname) address and the port of
// status.daemonEndpoints.kubeletEndpoint, over plain HTTP (the node agent's
// default; kubelet client certificates are not configured yet).
//
//   pods/log   GET, streamed through from the node's
//              /containerLogs/{ns}/{pod}/{container} with the client's query
//              (follow, previous, tailLines, sinceSeconds, timestamps, ...).
//   pods/exec  a WebSocket (v5/v4.channel.k8s.io): the node's
//              /exec/{ns}/{pod}/{container} is dialled first, offering the
//              client's subprotocols; then the client's upgrade is accepted
//              with the one the node chose, and messages are relayed both ways
//              until either side closes. A node's refusal (a container not
//              running, say) reaches the client as the node's HTTP answer.
//              SPDY upgrades get a 400: kubectl 1.30+ speaks WebSocket first.
#pragma once

#include "api_server.h"

namespace apiserve::handlers {

// Serves r (a pods/log, pods/exec or pods/attach request) by proxying it to
// the pod's node. Answers the Kubernetes Status errors upstream gives: 400
// "pod X does not have a host assigned", 400 for a missing or unknown
// container, 404 for the pod, 503 when the node cannot be reached.
void NodeProxy(ApiServer& s, Request& r);

}  // namespace apiserve::handlers
