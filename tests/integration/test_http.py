#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The HTTP API: every route over the unix socket and over TCP (loopback only), bearer tokens,
the error table and the limits, Server-Sent Events, following logs, the Prometheus exposition
(checked by promtool), and the README's curl examples."""

import http.client
import concurrent.futures
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import TenderTestCase, run, tenderd_pid, wait_for  # noqa: E402

SOCKET = "/run/tender/http.sock"
TCP = "http://127.0.0.1:8086"
TOKENS = "/etc/tender/tokens"
ROOT_TOKEN = "root-token-0123456789abcdef"
NOBODY_TOKEN = "nobody-token-0123456789abcdef"
NOBODY = 65534
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SLEEP = ["sleep", "1000"]


def curl(method, path, body=None, unix=True, token=None, headers=(), user=None,
         raw_body=None, content_type="application/json"):
    """Returns (status, headers as a lower-case dict, body text)."""
    cmd = ["curl", "-s", "-S", "-X", method, "-D", "-", "--max-time", "30"]
    if unix:
        cmd += ["--unix-socket", SOCKET, "http://localhost" + path]
    else:
        cmd += [TCP + path]
    if token is not None:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    for h in headers:
        cmd += ["-H", h]
    data = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    if data is not None:
        cmd += ["-H", f"Content-Type: {content_type}", "--data-binary", "@-"]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    out = subprocess.run(cmd, input=data.encode() if data is not None else None,
                         capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    head, _, text = out.stdout.decode().partition("\r\n\r\n")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, text


class UnixConnection(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=30)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(SOCKET)


def spec(argv, **extra):
    return dict(argv=argv, **extra)


class HttpTestCase(TenderTestCase):
    def create(self, name, argv=SLEEP, **extra):
        status, _, text = curl("POST", "/v1/workloads",
                               {"name": self.workload(name), "spec": spec(argv, **extra)})
        self.assertEqual(status, 201, text)
        return json.loads(text)

    def assertError(self, response, status, name):
        got, hdrs, text = response
        self.assertEqual(got, status, text)
        self.assertEqual(hdrs.get("content-type"), "application/json")
        error = json.loads(text)["error"]
        self.assertEqual(error["name"], f"org.tender.Agent1.Error.{name}")
        self.assertTrue(error["message"])
        return error

    def assertServing(self):
        status, _, text = curl("GET", "/api/health")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(text)["status"], "ok")


class RoutesTest(HttpTestCase):
    def test_socket_mode(self):
        st = os.stat(SOCKET)
        self.assertEqual(st.st_mode & 0o777, 0o666)
        self.assertEqual(os.stat(os.path.dirname(SOCKET)).st_mode & 0o777, 0o755)

    def test_lifecycle_over_the_unix_socket(self):
        props = self.create("http-life")
        self.assertEqual(props["Name"], "http-life")
        self.assertEqual(props["State"], "created")
        self.assertEqual(props["Command"], SLEEP)
        self.assertEqual(props["Unit"], "tender-http-life.scope")
        status, _, text = curl("GET", "/v1/workloads")
        self.assertEqual(status, 200)
        self.assertIn({"name": "http-life", "state": "created", "unit": "tender-http-life.scope",
                       "object_path": self.tender.path("http-life")}, json.loads(text))
        status, _, text = curl("POST", "/v1/workloads/http-life/start")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["State"], "running")
        self.assertEqual(self.tender.prop("http-life", "State"), "running")
        status, _, text = curl("GET", "/v1/workloads/http-life")
        props = json.loads(text)
        self.assertEqual(props["MainPID"], self.tender.prop("http-life", "MainPID"))
        self.assertEqual(props["Spec"]["argv"], SLEEP)
        status, _, text = curl("GET", "/v1/workloads/http-life/metrics")
        self.assertEqual(status, 200, text)
        self.assertGreaterEqual(json.loads(text)["tasks"], 2)
        status, _, text = curl("POST", "/v1/workloads/http-life/pause")
        self.assertEqual((status, json.loads(text)["State"]), (200, "paused"), text)
        status, _, text = curl("POST", "/v1/workloads/http-life/resume", {})
        self.assertEqual((status, json.loads(text)["State"]), (200, "running"), text)
        status, _, text = curl("POST", "/v1/workloads/http-life/stop", {"timeout_sec": 5})
        self.assertEqual((status, json.loads(text)["State"]), (200, "stopped"), text)
        status, _, text = curl("GET", "/v1/workloads/http-life/export")
        self.assertEqual(status, 200)
        exported = json.loads(text)
        self.assertEqual(exported["name"], "http-life")
        status, _, text = curl("POST", "/v1/workloads/import?name=http-imported",
                               raw_body=json.dumps(exported))
        self.workload("http-imported")
        self.assertEqual(status, 201, text)
        self.assertEqual(json.loads(text)["Name"], "http-imported")
        self.assertEqual(self.tender.prop("http-imported", "Command"), SLEEP)
        status, _, text = curl("DELETE", "/v1/workloads/http-life")
        self.assertEqual(status, 204, text)
        self.assertError(curl("GET", "/v1/workloads/http-life"), 404, "NotFound")
        self.assertNotIn("http-life", [w[0] for w in self.tender.list()])

    def test_workload_json_is_the_dbus_view(self):
        # one view of a workload: the HTTP JSON is D-Bus's GetAll, value for value
        self.create("http-view", SLEEP, memory_max=64 << 20, labels={"k": "v"})
        status, _, text = curl("POST", "/v1/workloads/http-view/start")
        self.assertEqual(status, 200, text)
        status, _, text = curl("GET", "/v1/workloads/http-view")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text), self.tender.props("http-view"))

    def test_kill(self):
        self.create("http-kill")
        curl("POST", "/v1/workloads/http-kill/start")
        status, _, text = curl("POST", "/v1/workloads/http-kill/kill", {"signal": 9})
        self.assertEqual(status, 200, text)
        self.tender.wait_state("http-kill", ["failed"])
        self.assertEqual(self.tender.prop("http-kill", "ExitSignal"), 9)

    def test_delete_running_needs_force(self):
        self.create("http-force")
        curl("POST", "/v1/workloads/http-force/start")
        self.assertError(curl("DELETE", "/v1/workloads/http-force"), 409, "InvalidState")
        status, _, text = curl("DELETE", "/v1/workloads/http-force?force=1&timeout_sec=1")
        self.assertEqual(status, 204, text)

    def test_logs(self):
        self.create("http-logs", ["sh", "-c", "echo one; echo two >&2; echo three"])
        curl("POST", "/v1/workloads/http-logs/start")
        self.tender.wait_state("http-logs", ["exited"])

        def messages():
            status, _, text = curl("GET", "/v1/workloads/http-logs/logs")
            self.assertEqual(status, 200, text)
            return json.loads(text)
        self.assertTrue(wait_for(lambda: len(messages()) == 3))
        entries = messages()
        # stdout and stderr are two pipes: their lines may interleave either way
        self.assertEqual(sorted((e["message"], e["stream"]) for e in entries),
                         [("one", "stdout"), ("three", "stdout"), ("two", "stderr")])
        status, _, text = curl("GET", "/v1/workloads/http-logs/logs?stream=stdout")
        self.assertEqual([e["message"] for e in json.loads(text)], ["one", "three"])
        status, _, text = curl("GET", "/v1/workloads/http-logs/logs?lines=1&stream=stdout")
        self.assertEqual([e["message"] for e in json.loads(text)], ["three"])
        cursor = entries[0]["cursor"]
        status, _, text = curl("GET", "/v1/workloads/http-logs/logs?since=" +
                               urllib.parse.quote(cursor))
        self.assertEqual([e["message"] for e in json.loads(text)],
                         [e["message"] for e in entries[1:]])
        self.assertError(curl("GET", "/v1/workloads/http-logs/logs?lines=many"), 400,
                         "InvalidArgument")
        self.assertError(curl("GET", "/v1/workloads/http-logs/logs?colour=red"), 400,
                         "InvalidArgument")

    def test_logs_follow(self):
        ready = self.tmpfile("http-follow.go")
        self.create("http-follow", ["sh", "-c",
                                    f"echo first; while [ ! -e {ready} ]; do sleep 0.1; done; "
                                    "echo second; sleep 1000"])
        curl("POST", "/v1/workloads/http-follow/start")
        conn = UnixConnection()
        conn.request("GET", "/v1/workloads/http-follow/logs?follow=1&lines=10")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/x-ndjson")
        self.assertEqual(json.loads(resp.readline())["message"], "first")
        open(ready, "w").close()
        self.assertEqual(json.loads(resp.readline())["message"], "second")
        conn.close()
        # the client went away: tenderd serves on
        self.assertServing()

    def test_workload_errors(self):
        self.create("http-dup")
        self.assertError(curl("POST", "/v1/workloads", {"name": "http-dup", "spec": spec(SLEEP)}),
                         409, "AlreadyExists")
        self.assertError(curl("POST", "/v1/workloads/http-dup/resume"), 409, "InvalidState")
        self.assertError(curl("GET", "/v1/workloads/http-dup/metrics"), 409, "InvalidState")
        self.assertError(curl("POST", "/v1/workloads/http-none/start"), 404, "NotFound")
        self.assertError(curl("DELETE", "/v1/workloads/http-none"), 404, "NotFound")
        error = self.assertError(curl("POST", "/v1/workloads",
                                      {"name": "http-bad", "spec": {"argv": SLEEP, "colour": 1}}),
                                 400, "InvalidArgument")
        self.assertIn("colour", error["message"])
        error = self.assertError(curl("POST", "/v1/workloads/http-dup/stop", {"colour": "red"}),
                                 400, "InvalidArgument")
        self.assertIn("colour", error["message"])
        self.assertError(curl("POST", "/v1/workloads", {"name": "bad name", "spec": spec(SLEEP)}),
                         400, "InvalidArgument")
        self.assertServing()


class LimitsTest(HttpTestCase):
    def test_malformed_json(self):
        self.assertError(curl("POST", "/v1/workloads", raw_body="{\"name\": "), 400,
                         "InvalidArgument")
        self.assertError(curl("POST", "/v1/workloads", raw_body="[1, 2]"), 400, "InvalidArgument")
        self.assertServing()

    def test_deeply_nested_json(self):
        """A body nested deeper than 64 levels is refused before it is parsed: 1 MiB of '['
        used to overflow tenderd's stack, and cut every client off until systemd restarted it."""
        deep = 100000
        for body in ("[" * (1 << 20),
                     "{" * 65 + "}" * 65,
                     json.dumps({"name": "x", "spec": {"argv": ["["] * 3}})[:-2]
                     + ', "colour": ' + "[" * deep + "]" * deep + "}}"):
            error = self.assertError(curl("POST", "/v1/workloads", raw_body=body), 400,
                                     "InvalidArgument")
            self.assertEqual(error["message"], "The request body is not valid JSON: it nests "
                             "deeper than the limit of 64 levels")
        self.assertServing()
        # up to the limit, and '[' in strings, are only JSON
        body = json.dumps({"name": "x", "spec": {"argv": ["[" * 1000]}})[:-2]
        body += ', "colour": ' + "[" * 62 + "]" * 62 + "}}"
        error = self.assertError(curl("POST", "/v1/workloads", raw_body=body), 400,
                                 "InvalidArgument")
        self.assertIn("Unknown spec key 'colour'", error["message"])
        self.assertServing()

    def test_wrong_content_type(self):
        self.assertError(curl("POST", "/v1/workloads", {"name": "x", "spec": spec(SLEEP)},
                              content_type="text/plain"), 415, "InvalidArgument")
        self.assertServing()

    def test_wrong_method(self):
        status, hdrs, _ = curl("PUT", "/v1/workloads")
        self.assertEqual(status, 405)
        self.assertEqual(hdrs["allow"], "GET, POST")
        self.assertError(curl("POST", "/metrics"), 405, "InvalidArgument")
        self.assertServing()

    def test_unknown_route(self):
        self.assertError(curl("GET", "/v2/workloads"), 404, "NotFound")
        self.assertError(curl("GET", "/v1/workloads/a/b/c"), 404, "NotFound")
        self.assertServing()

    def test_oversize_body(self):
        big = json.dumps({"name": "big", "spec": {"argv": ["x" * (2 << 20)]}})
        self.assertError(curl("POST", "/v1/workloads", raw_body=big), 413, "InvalidArgument")
        self.assertServing()

    def test_chunked_body(self):
        self.assertError(curl("POST", "/v1/workloads", {"name": "x", "spec": spec(SLEEP)},
                              headers=["Transfer-Encoding: chunked"]), 411, "InvalidArgument")
        self.assertServing()

    def test_silent_client_is_dropped(self):
        # a connection that never sends its headers is closed after header-timeout-sec
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(60)
        s.connect(SOCKET)
        s.sendall(b"GET /api/health HTTP/1.1\r\n")
        self.assertEqual(s.recv(100), b"")
        s.close()
        self.assertServing()


class AuthTest(HttpTestCase):
    def setUp(self):
        super().setUp()
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        fd = os.open(TOKENS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"# test tokens\n{ROOT_TOKEN} 0\n{NOBODY_TOKEN} {NOBODY}\n")
        os.chmod(TOKENS, 0o600)
        self.addCleanup(os.unlink, TOKENS)

    def test_tcp_needs_a_token(self):
        status, hdrs, _ = curl("GET", "/v1/workloads", unix=False)
        self.assertEqual(status, 401)
        self.assertTrue(hdrs["www-authenticate"].startswith("Bearer"))
        self.assertError(curl("GET", "/v1/workloads", unix=False), 401, "AccessDenied")
        self.assertError(curl("GET", "/v1/workloads", unix=False, token="wrong-token-0123456789"),
                         401, "AccessDenied")
        status, _, text = curl("GET", "/v1/workloads", unix=False, token=ROOT_TOKEN)
        self.assertEqual(status, 200, text)
        # health is for probes, without a token
        self.assertEqual(curl("GET", "/api/health", unix=False)[0], 200)

    def test_tcp_token_of_a_user_gets_that_users_decision(self):
        self.assertError(curl("POST", "/v1/workloads", {"name": "x", "spec": spec(SLEEP)},
                              unix=False, token=NOBODY_TOKEN), 403, "AccessDenied")
        self.assertError(curl("GET", "/v1/workloads", unix=False, token=NOBODY_TOKEN), 403,
                         "AccessDenied")

    def test_tcp_create_with_root_token(self):
        self.workload("http-tcp")
        status, _, text = curl("POST", "/v1/workloads", {"name": "http-tcp", "spec": spec(SLEEP)},
                               unix=False, token=ROOT_TOKEN)
        self.assertEqual(status, 201, text)
        self.assertEqual(self.tender.prop("http-tcp", "State"), "created")

    def test_tokens_file_readable_by_others_is_ignored(self):
        os.chmod(TOKENS, 0o644)
        self.assertError(curl("GET", "/v1/workloads", unix=False, token=ROOT_TOKEN), 401,
                         "AccessDenied")
        os.chmod(TOKENS, 0o600)
        self.assertEqual(curl("GET", "/v1/workloads", unix=False, token=ROOT_TOKEN)[0], 200)

    def test_unix_socket_unprivileged_user_is_denied(self):
        self.assertError(curl("GET", "/v1/workloads", user=NOBODY), 403, "AccessDenied")
        self.assertError(curl("POST", "/v1/workloads", {"name": "x", "spec": spec(SLEEP)},
                              user=NOBODY), 403, "AccessDenied")
        self.assertEqual(curl("GET", "/api/health", user=NOBODY)[0], 200)

    def test_unix_socket_root_needs_no_token(self):
        self.assertEqual(curl("GET", "/v1/workloads")[0], 200)


class EventsTest(HttpTestCase):
    def read_event(self, resp):
        event = {}
        while True:
            line = resp.readline().decode().rstrip("\n")
            if line == "":
                if "data" in event:
                    return event
                continue
            key, _, value = line.partition(": ")
            event[key] = value

    def events_of(self, resp, name, until):
        seen = []
        while True:
            event = self.read_event(resp)
            data = json.loads(event["data"])
            if data["name"] != name:
                continue
            seen.append((int(event["id"]), data["old_state"], data["new_state"]))
            if data["new_state"] == until:
                return seen

    def test_start_and_exit_in_order(self):
        conn = UnixConnection()
        conn.request("GET", "/v1/events")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/event-stream")
        self.create("http-events", ["sh", "-c", "sleep 0.5; exit 3"])
        curl("POST", "/v1/workloads/http-events/start")
        seen = self.events_of(resp, "http-events", "exited")
        conn.close()
        self.assertEqual([s[1:] for s in seen],
                         [("created", "starting"), ("starting", "running"),
                          ("running", "exited")])
        ids = [s[0] for s in seen]
        self.assertEqual(ids, sorted(ids))

        # resuming after the first event delivers the rest again, in order
        conn = UnixConnection()
        conn.request("GET", "/v1/events", headers={"Last-Event-ID": str(ids[0])})
        resp = conn.getresponse()
        again = self.events_of(resp, "http-events", "exited")
        conn.close()
        self.assertEqual(again, seen[1:])
        self.assertServing()

    def test_bad_last_event_id(self):
        self.assertError(curl("GET", "/v1/events", headers=["Last-Event-ID: yesterday"]), 400,
                         "InvalidArgument")


class PrometheusTest(HttpTestCase):
    def test_promtool_check_metrics(self):
        for i in range(3):
            self.create(f"http-prom{i}", ["sh", "-c", "while :; do sleep 0.05; done"],
                        labels={"team": "a\"b"})
            curl("POST", f"/v1/workloads/http-prom{i}/start")
        self.create("http-prom-created")
        status, hdrs, text = curl("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/plain; version=0.0.4"))
        with tempfile.NamedTemporaryFile("w", suffix=".prom", delete=False) as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        with open(f.name) as inp:
            check = subprocess.run(["promtool", "check", "metrics"], stdin=inp,
                                   capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        for i in range(3):
            labels = f'workload="http-prom{i}",unit="tender-http-prom{i}.scope"'
            self.assertRegex(text, re.escape(f"tender_workload_cpu_usage_seconds_total{{{labels}}} ")
                             + r"[0-9.e+-]+\n")
            self.assertRegex(text, re.escape(f"tender_workload_memory_bytes{{{labels}}} ") +
                             r"[1-9]\d*\n")
            self.assertIn(f'tender_workload_state{{{labels},state="running"}} 1\n', text)
        self.assertIn('tender_workload_state{workload="http-prom-created",'
                      'unit="tender-http-prom-created.scope",state="created"} 1\n', text)
        for name in ("process_resident_memory_bytes", "process_cpu_seconds_total",
                     "process_open_fds", "process_start_time_seconds"):
            self.assertRegex(text, f"\n{name} [0-9.]+\n")
        self.assertServing()

    def test_concurrent_requests_each_get_the_whole_exposition(self):
        """Requests that come together share one reading and one rendered text: each still
        gets all of it, and the text outlives the requests that shared it."""
        for i in range(4):
            self.create(f"http-promc{i}", ["sleep", "300"])
            curl("POST", f"/v1/workloads/http-promc{i}/start")
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: curl("GET", "/metrics"), range(48)))
        for status, hdrs, text in answers:
            self.assertEqual(status, 200)
            self.assertEqual(int(hdrs["content-length"]), len(text.encode()))
            for i in range(4):
                self.assertRegex(text, re.escape(
                    f'tender_workload_memory_bytes{{workload="http-promc{i}",'
                    f'unit="tender-http-promc{i}.scope"}} ') + r"[1-9]\d*\n")
            self.assertRegex(text, r"\nprocess_open_fds [0-9]+\n$")
        self.assertServing()


class ReadmeTest(HttpTestCase):
    def test_readme_curl_examples(self):
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("## HTTP API", 1)[1].split("\n## ", 1)[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        self.assertIn("curl", script)
        self.workload("web")
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        if not os.path.exists(TOKENS):
            self.addCleanup(lambda: os.path.exists(TOKENS) and os.unlink(TOKENS))
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertServing()


class SocketActivationTest(unittest.TestCase):
    """tenderd.socket: systemd holds the unix socket and starts tenderd on the first
    connection, which then serves on the socket it was passed."""

    def systemctl(self, *args):
        return run(["systemctl", *args], check=False).stdout.strip()

    def restore(self):
        self.systemctl("stop", "tenderd.service")
        self.systemctl("stop", "tenderd.socket")
        run(["systemctl", "start", "tenderd.service"])
        self.assertTrue(wait_for(lambda: os.path.exists(SOCKET)))

    def test_socket_activation(self):
        self.addCleanup(self.restore)
        run(["systemctl", "stop", "tenderd.service"])
        run(["systemctl", "start", "tenderd.socket"])
        self.assertEqual(self.systemctl("is-active", "tenderd.service"), "inactive")
        st = os.stat(SOCKET)
        self.assertEqual(st.st_mode & 0o777, 0o666)
        status, _, text = curl("GET", "/api/health")
        self.assertEqual(status, 200, text)
        self.assertEqual(self.systemctl("is-active", "tenderd.service"), "active")
        pid = self.systemctl("show", "-P", "MainPID", "tenderd.service")
        log = run(["journalctl", "--no-pager", "-o", "cat", f"_PID={pid}"]).stdout
        self.assertIn("HTTP API on a socket from systemd", log)
        self.assertEqual(curl("GET", "/v1/workloads")[0], 200)


class ConnectionLimitTest(unittest.TestCase):
    """[http] max-connections: beyond it a request gets 503, and tenderd serves again once
    connections close."""

    CONF = "/etc/tender/tenderd.conf"

    def test_listen_backlog(self):
        """A burst of connections waits in the kernel's queue for tenderd to accept it: the
        queue (Send-Q of a listening socket in ss) holds far more than GLib's default of 10,
        which made clients beyond it wait for a SYN retransmission, a second or more."""
        out = run(["ss", "-H", "-l", "-n", "-t", "-x"]).stdout
        backlogs = {}
        for line in out.splitlines():
            fields = line.split()
            if len(fields) >= 5 and fields[4] in ("127.0.0.1:8086", SOCKET):
                backlogs[fields[4]] = int(fields[3])
        self.assertEqual(set(backlogs), {"127.0.0.1:8086", SOCKET}, out)
        for where, backlog in backlogs.items():
            self.assertGreaterEqual(backlog, 128, where)

    def restart(self):
        run(["systemctl", "restart", "tenderd.service"])
        self.assertTrue(wait_for(lambda: curl("GET", "/api/health")[0] == 200, timeout=30))

    def test_max_connections(self):
        old = open(self.CONF).read() if os.path.exists(self.CONF) else None

        def restore():
            if old is None:
                os.unlink(self.CONF)
            else:
                with open(self.CONF, "w") as f:
                    f.write(old)
            self.restart()
        os.makedirs(os.path.dirname(self.CONF), exist_ok=True)
        with open(self.CONF, "w") as f:
            f.write("[http]\nmax-connections=2\nheader-timeout-sec=30\n")
        self.addCleanup(restore)
        self.restart()
        idle = []
        for _ in range(2):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(SOCKET)
            idle.append(s)
        # the connections count once tenderd has accepted them
        self.assertTrue(wait_for(lambda: curl("GET", "/api/health")[0] == 503))
        status, _, text = curl("GET", "/api/health")
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(text)["error"]["name"], "org.tender.Agent1.Error.Failed")
        for s in idle:
            s.close()
        self.assertTrue(wait_for(lambda: curl("GET", "/api/health")[0] == 200))


def health_requests(count):
    """Sends count GET /api/health over the unix socket, each on a connection of its own, as
    fast as it can; returns how many were not answered 200."""
    request = b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    bad = 0
    for _ in range(count):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(30)
            s.connect(SOCKET)
            s.sendall(request)
            chunks = []
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                chunks.append(chunk)
        if not b"".join(chunks).startswith(b"HTTP/1.1 200 "):
            bad += 1
    return bad


class RequestMemoryTest(unittest.TestCase):
    """tenderd's memory does not grow with the number of HTTP requests it served: after a
    warm-up, 50,000 more requests leave its RSS within 2 MiB.  (libsoup 3.2's listener lost
    the GSocket of every connection it accepted, about 0.4 KiB a request.)

    tenderd runs with ASAN_OPTIONS=quarantine_size_mb=0 for this test: AddressSanitizer keeps
    freed memory in a quarantine of 256 MiB before reusing it, so the RSS of a sanitized
    tenderd grows by hundreds of MiB with any churn, leak or not; without the quarantine it
    reuses freed memory as malloc does, and what stays is what leaks.  A tenderd built
    without AddressSanitizer ignores the variable."""

    DROPIN = "/run/systemd/system/tenderd.service.d/test-rss.conf"
    CLIENTS = 4
    WARMUP = 8000
    REQUESTS = 50000
    MAX_GROWTH_KIB = 2048

    def restart(self):
        run(["systemctl", "daemon-reload"])
        run(["systemctl", "restart", "tenderd.service"])
        self.assertTrue(wait_for(lambda: curl("GET", "/api/health")[0] == 200, timeout=30))

    def undo(self):
        os.unlink(self.DROPIN)
        self.restart()

    def hammer(self, total):
        with concurrent.futures.ProcessPoolExecutor(self.CLIENTS) as pool:
            bad = sum(pool.map(health_requests, [total // self.CLIENTS] * self.CLIENTS))
        self.assertEqual(bad, 0, f"{bad} of {total} requests were not answered 200")

    def rss_kib(self, pid):
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        self.fail(f"no VmRSS for {pid}")

    def test_rss_does_not_grow_with_requests(self):
        os.makedirs(os.path.dirname(self.DROPIN), exist_ok=True)
        with open(self.DROPIN, "w") as f:
            f.write("[Service]\nEnvironment=ASAN_OPTIONS=quarantine_size_mb=0\n")
        self.addCleanup(self.undo)
        self.restart()
        pid = tenderd_pid()
        # the first requests fill caches and pools that stay: types, buffers, the heap
        self.hammer(self.WARMUP)
        before = self.rss_kib(pid)
        self.hammer(self.REQUESTS)
        after = self.rss_kib(pid)
        self.assertEqual(tenderd_pid(), pid, "tenderd restarted during the test")
        print(f"tenderd RSS: {before} KiB after {self.WARMUP} requests, {after} KiB after "
              f"{self.REQUESTS} more ({(after - before) * 1024 / self.REQUESTS:.0f} bytes a "
              "request)", file=sys.stderr)
        self.assertLessEqual(after - before, self.MAX_GROWTH_KIB,
                             f"tenderd's RSS grew from {before} to {after} KiB in "
                             f"{self.REQUESTS} requests")


if __name__ == "__main__":
    unittest.main()
