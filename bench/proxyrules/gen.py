#!/usr/bin/env python3
"""Writes N ClusterIP Services with M endpoints each (one EndpointSlice per
Service) as a JSON List, like `kubectl get svc,endpointslices -A -o json`.

usage: gen.py SERVICES ENDPOINTS [--node NAME] > objects.json
Service i gets cluster IP 10.96.0.0/12 + i and port 80; its endpoints are
10.(64 + j/256 ...) pod IPs on nodes node-0..node-9, one of them the --node.
"""
import ipaddress
import json
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    node = "node-0"
    if "--node" in sys.argv:
        node = sys.argv[sys.argv.index("--node") + 1]
        args.remove(node)
    services, per = int(args[0]), int(args[1])
    cluster_base = int(ipaddress.IPv4Address("10.96.0.0"))
    pod_base = int(ipaddress.IPv4Address("10.64.0.0"))
    items = []
    n = 0
    for i in range(services):
        ns, name = "ns%d" % (i % 100), "svc%d" % i
        items.append({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"namespace": ns, "name": name},
            "spec": {"type": "ClusterIP",
                     "clusterIP": str(ipaddress.IPv4Address(cluster_base + 1 + i)),
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]},
        })
        eps = []
        for j in range(per):
            eps.append({"addresses": [str(ipaddress.IPv4Address(pod_base + n))],
                        "conditions": {"ready": True, "serving": True, "terminating": False},
                        "nodeName": node if j == 0 else "node-%d" % (1 + j % 9)})
            n += 1
        items.append({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"namespace": ns, "name": name + "-abcde",
                         "labels": {"kubernetes.io/service-name": name}},
            "addressType": "IPv4", "endpoints": eps,
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        })
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, sys.stdout)


if __name__ == "__main__":
    main()
