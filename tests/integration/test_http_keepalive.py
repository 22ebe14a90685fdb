#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""HTTP keep-alive: several requests on one connection, idle connections closed after
[http] idle-timeout-sec, clients that hang up cleaned up at once, and the count against
[http] max-connections exact after 10,000 clients that connect and vanish."""

import concurrent.futures
import json
import os
import socket
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import TenderTestCase, run, tenderd_pid, wait_for  # noqa: E402
from test_http import SOCKET, UnixConnection, curl  # noqa: E402

CONF = "/etc/tender/tenderd.conf"
TCP = ("127.0.0.1", 8086)
HEALTH = b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n"


def read_response(s):
    """Reads one response of known length from the socket @s: (status, lower-case headers,
    body); (None, {}, b"") if the connection closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return None, {}, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    length = int(hdrs.get("content-length", "0"))
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), hdrs, body


def closed_within(s, seconds):
    """Whether the peer closes @s (end of file or reset) within @seconds"""
    s.settimeout(seconds)
    try:
        return s.recv(100) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def steady_fd_count(pid, seconds=1.0, timeout=15.0):
    """tenderd's descriptors once their count has not changed for @seconds (what tenderd
    opens as it starts, or for the requests just answered, settles first)"""
    deadline = time.monotonic() + timeout
    count, since = fd_count(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = fd_count(pid)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            break
    return count


def vanish(kind, count):
    """@count clients of one kind that connect and vanish; returns what failed, as a list of
    "kind: error" """
    failed = []
    half = HEALTH[: len(HEALTH) // 2]
    for _ in range(count):
        family, address = ((socket.AF_INET, TCP) if kind == "reset"
                           else (socket.AF_UNIX, SOCKET))
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                # blocking: a unix socket's connect(2) waits while tenderd's queue is full
                s.connect(address)
                s.settimeout(30)
                if kind == "half":
                    s.sendall(half)
                elif kind == "unread":
                    s.sendall(HEALTH)
                elif kind == "idle":
                    s.sendall(HEALTH)
                    read_response(s)
                elif kind == "reset":
                    s.sendall(half)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError as e:
            failed.append(f"{kind}: {e!r}")
    return failed


class KeepAliveTest(TenderTestCase):
    """Keep-alive with tenderd's usual settings"""

    def test_requests_share_a_connection(self):
        conn = UnixConnection()
        conn.connect()
        sock = conn.sock
        requests = [("GET", "/api/health", None, 200), ("GET", "/v2/nothing", None, 404),
                    ("POST", "/v1/workloads", "{", 400), ("GET", "/v1/workloads", None, 200),
                    ("GET", "/api/health", None, 200)]
        for method, path, body, status in requests:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
            self.assertEqual(resp.status, status, text)
            self.assertIsNone(resp.getheader("Connection"), f"{method} {path}")
            # http.client drops a socket the server closes, and connects anew
            self.assertIs(conn.sock, sock, f"{method} {path} came on a new connection")
        conn.close()

    def test_client_close_and_http_1_0_are_honoured(self):
        for request in (b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        b"GET /api/health HTTP/1.0\r\nHost: x\r\n\r\n"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(30)
                s.connect(SOCKET)
                s.sendall(request)
                status, hdrs, body = read_response(s)
                self.assertEqual(status, 200, request)
                self.assertEqual(hdrs.get("connection"), "close", request)
                self.assertEqual(json.loads(body)["status"], "ok")
                self.assertTrue(closed_within(s, 5), request)


class KeepAliveTestCase(TenderTestCase):
    """Runs each test with its own [http] settings, and the earlier configuration after."""

    SETTINGS = ""

    def restart(self):
        # several tests in a row restart tenderd more often than systemd's start limit allows
        run(["systemctl", "reset-failed", "tenderd.service"], check=False)
        run(["systemctl", "restart", "tenderd.service"])
        self.assertTrue(wait_for(lambda: curl("GET", "/api/health")[0] == 200, timeout=30))

    def setUp(self):
        old = None
        if os.path.exists(CONF):
            with open(CONF) as f:
                old = f.read()

        def restore():
            if old is None:
                os.unlink(CONF)
            else:
                with open(CONF, "w") as f:
                    f.write(old)
            self.restart()
        os.makedirs(os.path.dirname(CONF), exist_ok=True)
        with open(CONF, "w") as f:
            f.write("[http]\n" + self.SETTINGS)
        self.addCleanup(restore)
        self.restart()
        super().setUp()


class IdleTimeoutTest(KeepAliveTestCase):
    SETTINGS = "idle-timeout-sec=2\n"

    def test_idle_connection_is_closed_after_the_idle_timeout(self):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(30)
            s.connect(SOCKET)
            for _ in range(2):
                s.sendall(HEALTH)
                self.assertEqual(read_response(s)[0], 200)
            t0 = time.monotonic()
            self.assertTrue(closed_within(s, 20), "an idle connection stayed open")
            waited = time.monotonic() - t0
        self.assertGreaterEqual(waited, 1.5)
        self.assertLess(waited, 6)

    def test_stream_outlives_the_idle_timeout(self):
        """/v1/events stays quiet longer than idle-timeout-sec, and is not cut"""
        conn = UnixConnection()
        conn.request("GET", "/v1/events")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        time.sleep(4)
        name = self.workload("keepalive-events")
        status, _, text = curl("POST", "/v1/workloads",
                               {"name": name, "spec": {"argv": ["sleep", "1000"]}})
        self.assertEqual(status, 201, text)
        status, _, text = curl("POST", f"/v1/workloads/{name}/start")
        self.assertEqual(status, 200, text)
        while True:
            line = resp.readline().decode()
            self.assertNotEqual(line, "", "the stream ended")
            if line.startswith("data: ") and json.loads(line[6:])["name"] == name:
                break
        conn.close()


class VanishingClientsTest(KeepAliveTestCase):
    """10,000 clients that connect and vanish leave no connection behind: not in tenderd's
    descriptors, not in its count against max-connections (the limit is exact afterwards),
    and not as leaked memory (AddressSanitizer's leak check at tenderd's exit).  The idle and
    header timeouts are long: only tenderd noticing the hang-ups can clean up in time."""

    LIMIT = 16
    SETTINGS = f"max-connections={LIMIT}\nidle-timeout-sec=600\nheader-timeout-sec=600\n"
    KINDS = ("silent", "half", "unread", "idle", "reset")
    CLIENTS = 10000
    WORKERS = 4

    def hold(self):
        """a connection that has been served one request and stays open"""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(SOCKET)
        s.sendall(HEALTH)
        return s, read_response(s)

    def test_the_connection_limit_is_exact(self):
        pid = tenderd_pid()
        # the first requests open what stays: the journal, the bus, caches
        self.assertEqual(vanish("idle", 50), [])
        before = steady_fd_count(pid)
        per = self.CLIENTS // (len(self.KINDS) * self.WORKERS)
        t0 = time.monotonic()
        with concurrent.futures.ProcessPoolExecutor(self.WORKERS) as pool:
            failed = sum(pool.map(vanish, [k for k in self.KINDS] * self.WORKERS,
                                  [per] * (len(self.KINDS) * self.WORKERS)), [])
        elapsed = time.monotonic() - t0
        self.assertEqual(failed, [], f"{len(failed)} failed: {sorted(set(failed))[:10]}")
        print(f"{self.CLIENTS} clients vanished in {elapsed:.1f} s", file=sys.stderr)
        self.assertLess(elapsed, 60)
        self.assertTrue(wait_for(lambda: fd_count(pid) <= before, timeout=10),
                        f"tenderd's descriptors: {before} before, {fd_count(pid)} after")

        # exactly LIMIT connections are served and stay; the next one is refused
        held = []
        for _ in range(self.LIMIT):
            s, (status, hdrs, _) = self.hold()
            held.append(s)
            self.assertEqual(status, 200)
            self.assertNotIn("connection", hdrs)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(SOCKET)
        s.sendall(HEALTH)
        status, hdrs, body = read_response(s)
        self.assertEqual(status, 503, body)
        self.assertEqual(hdrs.get("connection"), "close")
        self.assertEqual(json.loads(body)["error"]["name"], "org.tender.Agent1.Error.Failed")
        self.assertTrue(closed_within(s, 5))
        s.close()
        # one that hangs up makes room at once
        held.pop().close()
        self.assertTrue(wait_for(lambda: self.hold()[1][0] == 200, timeout=5))
        for s in held:
            s.close()
        self.assertTrue(wait_for(lambda: fd_count(pid) <= before, timeout=10),
                        f"tenderd's descriptors: {before} before, {fd_count(pid)} after")

        # and nothing leaked: tenderd's leak check runs as it exits
        self.restart()
        self.tenderd_pid = tenderd_pid()
        log = run(["journalctl", "--no-pager", "-o", "cat", f"_PID={pid}"], check=False).stdout
        self.assertNotIn("LeakSanitizer", log)
        self.assertNotIn("AddressSanitizer", log)


if __name__ == "__main__":
    unittest.main()
