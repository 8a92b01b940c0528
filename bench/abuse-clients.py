#!/usr/bin/env python3
"""Misbehaving HTTP clients for bench/serve-abuse.sh, against a server on 127.0.0.1 (stdlib only, bounded).

  abuse-clients.py PORT aborted N      N clients that hang up early (a third each: after the whole request,
                                       in the middle of the headers, and with a reset after the request)
  abuse-clients.py PORT slow N SECONDS N clients sending their headers a byte per second for SECONDS, while
                                       /health is asked once a second (its latencies are printed; a
                                       /health without an answer in 10 s counts as timeout)
  abuse-clients.py PORT oversized N    N requests with a 20,000-byte URI, N with a 20,000-byte header
  abuse-clients.py PORT badhost N      N requests naming another host
Prints one line of key=value figures.
"""
import socket
import struct
import sys
import time

TIMEOUT = 10


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def status(port, request):
    """The status code of a raw request's response, or an error name when there is none."""
    try:
        with connect(port) as s:
            s.sendall(request)
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data[9:12].decode() if data.startswith(b"HTTP/1.1 ") else "no-response"
    except OSError as e:
        return type(e).__name__


def count(statuses):
    counts = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return " ".join(f"{k}:{v}" for k, v in sorted(counts.items()))


def aborted(port, n):
    failed = 0
    for i in range(n):
        request = f"GET /search?q=aborted+client+{i}&k=10&rerank=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        try:
            s = connect(port)
            if i % 3 == 1:
                s.sendall(request[:30])
            else:
                s.sendall(request)
            if i % 3 == 2:  # close with a reset instead of a FIN
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        except OSError:
            failed += 1
    print(f"aborted_clients={n} connect_failures={failed}")


def health_latency(port):
    start = time.monotonic()
    code = status(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    return code, time.monotonic() - start


def slow(port, n, seconds):
    clients, closed_by_server = [], 0
    for _ in range(n):
        s = connect(port)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        clients.append(s)
    latencies, codes = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for s in list(clients):
            try:
                s.sendall(b"a")
            except OSError:
                closed_by_server += 1
                clients.remove(s)
                s.close()
        code, latency = health_latency(port)
        codes.append(code)
        latencies.append(latency)
        time.sleep(max(0.0, 1.0 - latency))
    for s in clients:
        s.close()
    latencies.sort()
    print(f"slow_clients={n} seconds={seconds} health_requests={len(codes)} closed_by_server={closed_by_server} health={count(codes)} "
          f"health_p50_ms={latencies[len(latencies) // 2] * 1e3:.1f} health_max_ms={latencies[-1] * 1e3:.1f}")


def oversized(port, n):
    uri = [status(port, f"GET /search?q={'x' * 20000} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode()) for _ in range(n)]
    header = [status(port, f"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {'y' * 20000}\r\n"
                     "Connection: close\r\n\r\n".encode()) for _ in range(n)]
    print(f"oversized_uri=[{count(uri)}] oversized_header=[{count(header)}]")


def badhost(port, n):
    codes = [status(port, b"GET /health HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n")
             for _ in range(n)]
    print(f"bad_host=[{count(codes)}]")


if __name__ == "__main__":
    port, what, args = int(sys.argv[1]), sys.argv[2], [int(a) for a in sys.argv[3:]]
    {"aborted": aborted, "slow": slow, "oversized": oversized, "badhost": badhost}[what](port, *args)
