#!/usr/bin/env python3
"""Anchor for the mvcc memory figure: RSS of Debian's etcd after 100,000 puts
of 1 KiB values (JSON gateway, 16 keep-alive clients), same key shape as
mvcc_bench's memory scenario. Starts and stops its own etcd on free ports."""
import base64, http.client, json, os, shutil, socket, subprocess, sys, tempfile, threading, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.split(":")[0] in ("VmRSS", "RssAnon", "RssFile"):
                out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    d = tempfile.mkdtemp(prefix="etcd-rss-")
    cp, pp = free_port(), free_port()
    proc = subprocess.Popen(["etcd", "--data-dir", d + "/data",
        "--listen-client-urls", f"http://127.0.0.1:{cp}", "--advertise-client-urls", f"http://127.0.0.1:{cp}",
        "--listen-peer-urls", f"http://127.0.0.1:{pp}", "--initial-advertise-peer-urls", f"http://127.0.0.1:{pp}",
        "--initial-cluster", f"default=http://127.0.0.1:{pp}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", cp, timeout=2); c.request("GET", "/version"); c.getresponse().read(); break
            except OSError:
                time.sleep(0.1)
        value = base64.b64encode(b"v" * 1024).decode()
        def worker(t):
            c = http.client.HTTPConnection("127.0.0.1", cp)
            for i in range(t, n, 16):
                key = base64.b64encode(b"/registry/configmaps/default/cm-%06d" % i).decode()
                c.request("POST", "/v3/kv/put", json.dumps({"key": key, "value": value}))
                c.getresponse().read()
        start = time.time()
        ts = [threading.Thread(target=worker, args=(t,)) for t in range(16)]
        [t.start() for t in ts]; [t.join() for t in ts]
        took = time.time() - start
        r = rss(proc.pid)
        print(f"etcd 3.4.23, {n} keys x 1 KiB: rss={r['VmRSS']} MiB ({r['RssAnon']} MiB anon + {r['RssFile']} MiB file), load {n/took:.0f} puts/s")
    finally:
        proc.terminate(); proc.wait(); shutil.rmtree(d, ignore_errors=True)

main()
