# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The HTTP soak test of tests/bench/bench.py (section 'soak', meson test 'http-soak').

Against the lab's tenderd over TCP on 127.0.0.1: a warm-up of --soak-warmup requests, then
tenderd's RSS (VmRSS) and open descriptors are taken; then --soak-requests requests with wrk
(HTTP/1.1, keep-alive: each of wrk's connections serves many requests), while another thread
churns connections: clients that connect and vanish without a request, that send half a
request and vanish, that send a whole request and vanish without reading the answer, that
reset the connection (SO_LINGER 0), that vanish idle after an answer, and that send a few
requests on one connection (each answered on it) before they close it.  It fails if a
keep-alive connection of the churn is closed by tenderd or answered without keep-alive, if
tenderd's RSS grew by more than --soak-rss-kb KiB from after the warm-up, or if its
descriptors did not come back to their count after the warm-up within 10 s.  RSS is judged
only in a build without sanitizers (the quarantine of AddressSanitizer grows by itself).
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import struct
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TCP_HOST, TCP_PORT = "127.0.0.1", 8086


@contextlib.contextmanager
def bearer_token(path):
    """a new token of uid 0 in the tokens file @path for the duration, the old file after"""
    token = secrets.token_hex(16)
    saved = None
    if os.path.exists(path):
        with open(path) as f:
            saved = f.read()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    os.fchmod(fd, 0o600)
    os.write(fd, f"{token} 0\n".encode())
    os.close(fd)
    try:
        yield token
    finally:
        if saved is None:
            os.unlink(path)
        else:
            with open(path, "w") as f:
                f.write(saved)


def wrk_count(bench, url, token, count, threads, connections, bound_s):
    """wrk on @url until it has @count answers (or @bound_s seconds): its JSON summary"""
    per_thread = -(-count // threads)
    env = dict(os.environ, TENDER_BENCH_TOKEN=token or "", TENDER_BENCH_STOP_AFTER=str(per_thread))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{bound_s}s", "--timeout", "10s",
           "-s", os.path.join(HERE, "wrk-report.lua"), url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    stopped = 0
    errors = []
    for line in proc.stderr:
        if line.strip() != "stopped":
            errors.append(line.strip())
            continue
        stopped += 1
        if stopped == threads:
            proc.send_signal(signal.SIGINT)
            break
    out, err = proc.communicate()
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        bench.error(f"wrk {url}: exit status {proc.returncode}: {' '.join(errors) + err}")
        return None
    r = json.loads(lines[-1])
    bad = sum(r[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors",
                             "timeouts"))
    if bad:
        bench.error(f"wrk {url}: {bad} errors of {r['requests']} requests: {lines[-1]}")
    if r["requests"] < count:
        bench.error(f"wrk {url}: {r['requests']} answers of {count} within {bound_s} s")
    return r


def read_answer(s):
    """one answer of known length on the socket @s: its head, or None if the socket closed"""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            return None
        body += chunk
    return head


KEEPALIVE_REQUESTS = 5


def churn(stop, counts, token):
    """connections that vanish, in turn of six kinds, until @stop is set"""
    full = (f"GET /api/health HTTP/1.1\r\nHost: {TCP_HOST}\r\nAuthorization: Bearer {token}\r\n"
            "Connection: keep-alive\r\n\r\n").encode()
    kinds = ("silent", "half", "unread", "reset", "idle", "keepalive")
    i = 0
    while not stop.is_set():
        kind = kinds[i % len(kinds)]
        i += 1
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as s:
                s.settimeout(5)
                s.connect((TCP_HOST, TCP_PORT))
                if kind == "half":
                    s.sendall(full[: len(full) // 2])
                elif kind == "unread":
                    s.sendall(full)
                elif kind == "reset":
                    s.sendall(full[:10])
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif kind in ("idle", "keepalive"):
                    for _ in range(1 if kind == "idle" else KEEPALIVE_REQUESTS):
                        s.sendall(full)
                        head = read_answer(s)
                        if head is None or not head.startswith(b"HTTP/1.1 200 ") or \
                                b"\r\nConnection: close" in head:
                            counts["not kept alive"] = counts.get("not kept alive", 0) + 1
                            break
        except OSError:
            counts["failed"] = counts.get("failed", 0) + 1
            time.sleep(0.01)
            continue
        counts[kind] = counts.get(kind, 0) + 1


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def run(bench, tokens_path):
    a = bench.args
    pid = bench.tenderd_pid()
    url = f"http://{TCP_HOST}:{TCP_PORT}/api/health"
    res = {"requests": a.soak_requests, "warmup": a.soak_warmup,
           "wrk": f"-t{a.wrk_threads} -c{a.wrk_connections}", "rss_limit_kb": a.soak_rss_kb}
    with bearer_token(tokens_path) as token:
        bench.log(f"soak: warm-up, {a.soak_warmup} requests to {url}")
        t0 = time.monotonic()
        if wrk_count(bench, url, token, a.soak_warmup, a.wrk_threads, a.wrk_connections,
                     60) is None:
            return res
        time.sleep(1)
        res["rss_kb_before"] = bench.status_kb(pid, "VmRSS")
        res["fds_before"] = fds(pid)
        bench.log(f"soak: {a.soak_requests} requests, with connections that vanish beside them")
        stop = threading.Event()
        counts = {}
        t = threading.Thread(target=churn, args=(stop, counts, token), daemon=True)
        t.start()
        t1 = time.monotonic()
        r = wrk_count(bench, url, token, a.soak_requests, a.wrk_threads, a.wrk_connections,
                      max(120, a.soak_requests // 1000))
        stop.set()
        t.join()
        res["seconds"] = time.monotonic() - t1
        res["churn"] = counts
        res["answers"] = r["requests"] if r else 0
        res["rps"] = res["answers"] / res["seconds"]
        deadline = time.monotonic() + 10
        while fds(pid) > res["fds_before"] and time.monotonic() < deadline:
            time.sleep(0.2)
        res["fds_after"] = fds(pid)
        res["rss_kb_after"] = bench.status_kb(pid, "VmRSS")
        res["total_seconds"] = time.monotonic() - t0
    grew = res["rss_kb_after"] - res["rss_kb_before"]
    res["rss_growth_kb"] = grew
    bench.log(f"soak: {res['answers']} answers in {res['seconds']:.1f} s, churn {counts}; "
              f"RSS {res['rss_kb_before']} -> {res['rss_kb_after']} KiB; "
              f"fds {res['fds_before']} -> {res['fds_after']}")
    if bench.tenderd_pid() != pid:
        bench.error(f"soak: tenderd ({pid}) is gone, now {bench.tenderd_pid()}")
    # AddressSanitizer holds freed memory in its quarantine (256 MiB by default), so the RSS
    # of a sanitized tenderd grows with any allocation: there, only descriptors are judged
    sanitize = bench.results.get("machine", {}).get("build", {}).get("b_sanitize", "none")
    res["rss_judged"] = sanitize in ("none", "")
    if not res["rss_judged"]:
        bench.log(f"soak: RSS growth not judged: tenderd is built with sanitizers ({sanitize})")
    elif grew > a.soak_rss_kb:
        bench.error(f"soak: tenderd's RSS grew by {grew} KiB (limit {a.soak_rss_kb} KiB): "
                    f"{res['rss_kb_before']} -> {res['rss_kb_after']} KiB")
    if counts.get("not kept alive"):
        bench.error(f"soak: {counts['not kept alive']} keep-alive connections of the churn were "
                    "closed or answered without keep-alive")
    if res["fds_after"] != res["fds_before"]:
        bench.error(f"soak: tenderd's open descriptors {res['fds_before']} -> "
                    f"{res['fds_after']} (10 s after the last request)")
    return res


def render(so, fmt):
    if "rss_growth_kb" not in so:
        return ["Soak: did not run to its end (see the errors)"]
    return [
        f"Soak: {fmt(so['answers'])} requests to /api/health over TCP (wrk {so['wrk']}, "
        f"keep-alive) after a warm-up of "
        f"{fmt(so['warmup'])}, in {fmt(so['seconds'], 1)} s ({fmt(so['rps'], 0)} req/s), "
        f"beside connections that vanished: {so['churn']}. tenderd RSS "
        f"{fmt(so['rss_kb_before'])} -> {fmt(so['rss_kb_after'])} KiB "
        f"(+{fmt(so['rss_growth_kb'])}, limit +{fmt(so['rss_limit_kb'])}"
        f"{'' if so.get('rss_judged', True) else ', not judged: sanitized build'}); open descriptors "
        f"{so['fds_before']} -> {so['fds_after']}"
    ]
