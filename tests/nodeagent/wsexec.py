#!/usr/bin/env python3
"""A minimal client of the kubelet exec WebSocket protocol, for tests.

    wsexec.py HOST:PORT PATH_AND_QUERY [--stdin DATA] [--protocol P]

Speaks v5.channel.k8s.io (or --protocol): writes stream 1 to stdout and
stream 2 to stderr, sends DATA on stream 0 then closes it, and exits with the
exit code reported on stream 3 (the v1.Status kubectl reads).
"""
import base64, json, os, socket, struct, sys

def frame(payload, opcode=2):
    mask = os.urandom(4)
    head = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

def read_exact(sock, n, buf):
    while len(buf[0]) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        buf[0] += chunk
    out, buf[0] = buf[0][:n], buf[0][n:]
    return out

def main():
    args = sys.argv[1:]
    hostport, path = args[0], args[1]
    stdin_data = None
    protocol = "v5.channel.k8s.io"
    if "--stdin" in args:
        stdin_data = args[args.index("--stdin") + 1].encode()
    if "--protocol" in args:
        protocol = args[args.index("--protocol") + 1]
    host, port = hostport.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Sec-WebSocket-Protocol: {protocol}\r\n\r\n").encode())
    buf = [b""]
    while b"\r\n\r\n" not in buf[0]:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf[0] += chunk
    head, _, buf[0] = buf[0].partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n")[0].decode()
    if " 101 " not in status_line:
        sys.stderr.write(head.decode() + "\n" + buf[0].decode(errors="replace") + "\n")
        return 100
    if stdin_data is not None:
        sock.sendall(frame(b"\x00" + stdin_data))
        sock.sendall(frame(b"\xff\x00"))
    code = None
    while True:
        try:
            b0, b1 = read_exact(sock, 2, buf)
        except EOFError:
            break
        opcode, n = b0 & 0x0F, b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", read_exact(sock, 2, buf))[0]
        elif n == 127:
            n = struct.unpack("!Q", read_exact(sock, 8, buf))[0]
        payload = read_exact(sock, n, buf)
        if opcode == 8:
            sock.sendall(frame(payload[:2], 8))
            break
        if opcode != 2 or not payload:
            continue
        stream, data = payload[0], payload[1:]
        if stream == 1:
            sys.stdout.buffer.write(data); sys.stdout.flush()
        elif stream == 2:
            sys.stderr.buffer.write(data); sys.stderr.flush()
        elif stream == 3:
            st = json.loads(data)
            if st.get("status") == "Success":
                code = 0
            else:
                causes = st.get("details", {}).get("causes", [])
                code = next((int(c["message"]) for c in causes if c.get("reason") == "ExitCode"), 1)
                if st.get("reason") != "NonZeroExitCode":
                    sys.stderr.write(st.get("message", "") + "\n")
    return 101 if code is None else code

if __name__ == "__main__":
    sys.exit(main())
