#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sessions plugin on the native backend: get-or-create (one sandbox), reconnection after a
kill -9 of tenderd, files through the sandbox's root (and escapes refused), a read-only
volume, lifetime and idle expiry, close, bad ids and configs, polkit, the health monitor
(a sandbox killed from outside comes back, its workspace kept), the pids limit and a
published port.  The cases are backend-neutral: test_sessions_docker.py runs them all again
with the docker backend."""

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
from tenderlab import (DBusError, Gio, GLib, TenderTestCase, run, tenderd_pid,  # noqa: E402
                       tenderd_restart_settings, wait_for)
from test_docker_runtime import restart_tenderd  # noqa: E402
from test_http import SOCKET, UnixConnection, curl  # noqa: E402
from test_polkit import USER, ensure_user  # noqa: E402

PATH = "/org/tender/Agent1/sessions"
IFACE = "org.tender.Agent1.Sessions"
SESSION_IFACE = "org.tender.Agent1.Session"
IMAGE = "sessions-busybox"
STATE = "/var/lib/tender"
WORKSPACES = f"{STATE}/workspaces"
CONF = "/etc/tender/tenderd.conf"
# the health monitor's interval in these tests
HEALTH_INTERVAL = 1
# the host port of test_published_port
HOST_PORT = 18181


def config(**values):
    types = {bool: "b", str: "s", int: "t", float: "d"}
    out = {}
    for key, value in values.items():
        if isinstance(value, GLib.Variant):
            out[key] = value
        else:
            out[key] = GLib.Variant(types[type(value)], value)
    return out


def sandbox_sleeps():
    """The processes that run exactly a sandbox's command, sleep 2147483647."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read() == b"sleep\x002147483647\x00":
                    found.append(pid)
        except OSError:
            pass
    return found


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)


def curl_bytes(method, path, data=None):
    """Returns (status, content type, body bytes), the body sent and read as bytes."""
    cmd = ["curl", "-s", "-S", "-X", method, "--max-time", "30", "--unix-socket", SOCKET,
           "-o", "-", "-w", "\n%{http_code} %{content_type}", "http://localhost" + path]
    if data is not None:
        cmd += ["-H", "Content-Type: application/octet-stream", "--data-binary", "@-"]
    out = subprocess.run(cmd, input=data, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    body, _, tail = out.stdout.rpartition(b"\n")
    status, _, ctype = tail.decode().partition(" ")
    return int(status), ctype, body


class SessionsTest(TenderTestCase):
    BACKEND = "native"
    IMAGE = IMAGE

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tender-sessions.")
        with open(CONF) as f:
            cls.saved_conf = f.read()
        write_file(CONF, f"{cls.saved_conf}\n[plugin sessions]\nhealth-interval={HEALTH_INTERVAL}\n")
        tar = images.busybox_tar(os.path.join(cls.tmp, "busybox.tar"))
        # the image store and the containers on tmpfs: the lab's root is an overlay, which
        # cannot hold an overlay's upper layer (as test_isolation.py does)
        for d in ("images", "containers"):
            os.makedirs(f"{STATE}/{d}", exist_ok=True)
            run(["mount", "-t", "tmpfs", "-o", "mode=0700", f"tender-test-{d}", f"{STATE}/{d}"])
        restart_tenderd()
        images.import_image(IMAGE, tar)

    @classmethod
    def tearDownClass(cls):
        run(["systemctl", "stop", "tenderd.service"])
        for d in ("images", "containers"):
            run(["umount", f"{STATE}/{d}"])
        write_file(CONF, cls.saved_conf)
        restart_tenderd()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.opened = []
        self.addCleanup(self.close_all)

    def close_all(self):
        for user, session in self.opened:
            try:
                self.call("GetSession", "ssa{sv}", user, session, {})
            except DBusError:
                pass
            path = self.session_path(user, session)
            try:
                self.tender.call("Close", "b", True, path=path, iface=SESSION_IFACE)
            except DBusError:
                pass

    def call(self, method, sig, *args):
        return self.tender.call(method, sig, *args, path=PATH, iface=IFACE)

    def session_path(self, user, session):
        def esc(s):
            return "".join(c if c.isalnum() else "_%02x" % ord(c) for c in s)
        return f"/org/tender/Agent1/sessions/{esc(user)}/{esc(session)}"

    def get(self, owner, sid, **values):
        if (owner, sid) not in self.opened:
            self.opened.append((owner, sid))
        values.setdefault("image", self.IMAGE)
        values.setdefault("backend", self.BACKEND)
        return self.call("GetSession", "ssa{sv}", owner, sid, config(**values))

    def scall(self, path, method, sig="", *args):
        return self.tender.call(method, sig, *args, path=path, iface=SESSION_IFACE)

    def describe(self, path):
        return self.scall(path, "Describe")[0]

    def props(self, path):
        return self.tender.call("GetAll", "s", SESSION_IFACE, path=path,
                                iface="org.freedesktop.DBus.Properties")[0]

    def test_get_or_create_once(self):
        """Two GetSessions give one session: one workload, one sandbox process."""
        path, created = self.get("alice", "s1")
        self.assertTrue(created)
        again, created = self.get("alice", "s1")
        self.assertEqual((again, created), (path, False))
        info = self.describe(path)
        self.assertEqual((info["state"], info["backend"], info["health"]),
                         ("running", self.BACKEND, "healthy"), info)
        self.assertEqual(info["workload"], "session-alice-s1")
        self.assertEqual(info["workspace"], f"{WORKSPACES}/alice/s1")
        props = self.tender.props("session-alice-s1")
        self.assertEqual((props["State"], props["Owner"]), ("running", "sessions"))
        self.assertEqual(props["Spec"]["labels"], {"org.tender.session.user": "alice",
                                                   "org.tender.session.id": "s1"})
        workloads = [w for w in self.tender.list() if str(w[0]).startswith("session-alice")]
        self.assertEqual(len(workloads), 1, workloads)
        self.assertEqual(len(sandbox_sleeps()), 1, sandbox_sleeps())
        listed = self.call("ListSessions", "s", "alice")[0]
        self.assertEqual([(s["user"], s["session"]) for s in listed], [("alice", "s1")])
        self.assertEqual(self.call("ListSessions", "s", "nobody-else")[0], [])
        # a different config is refused, naming the key
        with self.assertRaises(DBusError) as ctx:
            self.get("alice", "s1", memory_limit="64m")
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidState")
        self.assertIn("memory_limit", ctx.exception.message)
        # unless recreate
        path2, created = self.get("alice", "s1", memory_limit="64m", recreate=True)
        self.assertTrue(created)
        self.assertEqual(self.tender.props("session-alice-s1")["Spec"]["memory_max"],
                         64 * 1024 * 1024)

    def test_files(self):
        """write/read/list/delete; relative paths are /workspace's; files are the sandbox
        user's; the workspace is on the host."""
        path, _ = self.get("bob", "files", user="65534")
        size = self.scall(path, "WriteFile", "saya{sv}", "notes/a.txt", b"hello\n",
                          {"mode": GLib.Variant("u", 0o600)})[0]
        self.assertEqual(size, 6)
        self.scall(path, "WriteFile", "saya{sv}", "notes/a.txt", b"more\n",
                   {"append": GLib.Variant("b", True)})
        self.assertEqual(bytes(self.scall(path, "ReadFile", "s", "/workspace/notes/a.txt")[0]),
                         b"hello\nmore\n")
        host = f"{WORKSPACES}/bob/files/notes/a.txt"
        st = os.stat(host)
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (65534, 65534, 0o600))
        self.assertEqual(os.stat(f"{WORKSPACES}/bob/files").st_uid, 65534)
        entries, truncated = self.scall(path, "ListFiles", "s", "notes")
        self.assertEqual([(e["name"], e["type"], e["size"]) for e in entries],
                         [("a.txt", "file", 11)])
        self.assertFalse(truncated)
        # the image's own files, by absolute path
        self.assertIn(b"root:", bytes(self.scall(path, "ReadFile", "s", "/etc/passwd")[0]))
        self.scall(path, "DeleteFile", "s", "notes/a.txt")
        self.assertFalse(os.path.exists(host))
        self.assertDBusError("NotFound", self.scall, path, "ReadFile", "s", "notes/a.txt")
        self.assertDBusError("InvalidArgument", self.scall, path, "ReadFile", "s", "notes")
        # over HTTP
        status, _, text = curl("PUT", "/v1/sessions/bob/files/files?path=web/b.txt",
                               raw_body="über\n", content_type="text/plain")
        self.assertEqual((status, json.loads(text)["size"]), (200, 6), text)
        status, _, text = curl("GET", "/v1/sessions/bob/files/files?path=web/b.txt")
        self.assertEqual((status, text), (200, "über\n"), text)
        # any bytes, as they are, both ways
        blob = bytes(range(256)) * 4 + b"\x00\xff"
        status, ctype, body = curl_bytes("PUT", "/v1/sessions/bob/files/files?path=data/bin",
                                         blob)
        self.assertEqual((status, json.loads(body)["size"]), (200, len(blob)), body)
        with open(f"{WORKSPACES}/bob/files/data/bin", "rb") as f:
            self.assertEqual(f.read(), blob)
        status, ctype, body = curl_bytes("GET", "/v1/sessions/bob/files/files?path=data/bin")
        self.assertEqual((status, ctype, body), (200, "application/octet-stream", blob))
        # append, and a body over max-file-size (16 MiB): 413, the usual error body
        status, _, body = curl_bytes("PUT",
                                     "/v1/sessions/bob/files/files?path=data/bin&append=1",
                                     b"\x01")
        self.assertEqual(status, 200, body)
        self.assertEqual(curl_bytes("GET", "/v1/sessions/bob/files/files?path=data/bin")[2],
                         blob + b"\x01")
        status, _, text = curl("PUT", "/v1/sessions/bob/files/files?path=data/big",
                               raw_body="x" * (16 * 1024 * 1024 + 1),
                               content_type="application/octet-stream")
        self.assertEqual(status, 413, text[:200])
        self.assertEqual(json.loads(text)["error"]["name"],
                         "org.tender.Agent1.Error.InvalidArgument")
        self.assertFalse(os.path.exists(f"{WORKSPACES}/bob/files/data/big"))
        status, _, text = curl("GET", "/v1/sessions/bob/files/files/list?path=web")
        self.assertEqual([e["name"] for e in json.loads(text)["entries"]], ["b.txt"], text)
        status, _, text = curl("DELETE", "/v1/sessions/bob/files/files?path=web/b.txt")
        self.assertEqual(status, 200, text)
        status, _, text = curl("GET", "/v1/sessions/bob/files/files?path=web/b.txt")
        self.assertEqual(status, 404, text)

    def test_escapes_refused(self):
        """'..' out of the root, /proc's magic links and a symlink planted inside pointing
        out never reach the host's files."""
        secret = "/root/tender-sessions-secret"
        with open(secret, "w") as f:
            f.write("host only\n")
        self.addCleanup(os.unlink, secret)
        path, _ = self.get("eve", "esc")
        for bad in ("../../etc/passwd", "/../../root/tender-sessions-secret", "../../../x"):
            e = self.assertDBusError("InvalidArgument", self.scall, path, "ReadFile", "s", bad)
            self.assertIn("climbs out", e.message)
        self.assertDBusError("NotFound", self.scall, path, "ReadFile", "s", secret)
        # /proc/1/root is the host's root from the host's /proc, a magic link inside
        pid = self.describe(path)["main_pid"]
        self.assertRaises(DBusError, self.scall, path, "ReadFile", "s",
                          f"/proc/{pid}/root{secret}")
        # symlinks planted from the host into the workspace: absolute and relative
        ws = f"{WORKSPACES}/eve/esc"
        os.symlink(secret, os.path.join(ws, "abs"))
        os.symlink("../../../../../../../.." + secret, os.path.join(ws, "rel"))
        os.symlink("/", os.path.join(ws, "root"))
        for link in ("abs", "rel", "root/root/tender-sessions-secret"):
            self.assertDBusError("NotFound", self.scall, path, "ReadFile", "s", link)
        # writing through them makes nothing on the host
        for link in ("abs", "rel"):
            try:
                self.scall(path, "WriteFile", "saya{sv}", link, b"pwned\n", {})
            except DBusError:
                pass
        with open(secret) as f:
            self.assertEqual(f.read(), "host only\n")
        self.assertFalse(os.path.exists("/root/tender-sessions-secret.pwned"))

    def test_read_only_volume_and_limits(self):
        """A read-only volume refuses writes; a file over max-file-size is refused."""
        src = os.path.join(self.tmp, "ro-data")
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(src, "in.csv"), "w") as f:
            f.write("a,b\n")
        vols = GLib.Variant("aa{sv}", [{"source": GLib.Variant("s", src),
                                        "target": GLib.Variant("s", "/data"),
                                        "read_only": GLib.Variant("b", True)}])
        path, _ = self.get("carol", "ro", volumes=vols)
        self.assertEqual(bytes(self.scall(path, "ReadFile", "s", "/data/in.csv")[0]), b"a,b\n")
        e = self.assertDBusError("AccessDenied", self.scall, path, "WriteFile", "saya{sv}",
                                 "/data/in.csv", b"x", {})
        self.assertIn("Read-only", e.message)
        with open(f"{WORKSPACES}/carol/ro/big", "wb") as f:
            f.truncate(16 * 1024 * 1024 + 1)
        e = self.assertDBusError("LimitReached", self.scall, path, "ReadFile", "s", "big")
        self.assertIn("max-file-size", e.message)

    def test_bad_ids_and_configs(self):
        for user, session in (("", "s"), ("a/b", "s"), ("u", ".."), ("u", "x" * 65),
                              ("u", "sp ace")):
            e = self.assertDBusError("InvalidArgument", self.call, "GetSession", "ssa{sv}",
                                     user, session, config(image=IMAGE))
            self.assertIn("id", e.message)
        for key, value, what in (("memory_limit", "lots", "memory_limit"),
                                 ("cpu_limit", 0.0, "cpu_limit"),
                                 ("pids_limit", 0, "pids_limit"),
                                 ("isolation", "minimal", "isolation"),
                                 ("inactivity_timeout_seconds", 10**9,
                                  "inactivity_timeout_seconds"),
                                 ("colour", "blue", "colour")):
            e = self.assertDBusError("InvalidArgument", self.call, "GetSession", "ssa{sv}",
                                     "u", "s", config(image=IMAGE, **{key: value}))
            self.assertIn(f"'{what}'", e.message)
        status, _, text = curl("POST", "/v1/sessions", {"user_id": "u", "session_id": "s",
                                                        "config": {"image": self.IMAGE,
                                                                   "ports": [0]}})
        self.assertEqual(status, 400, text)
        self.assertIn("'ports'", text)
        # the body's own members
        for body, what in (({"session_id": "s"}, "'user_id' is missing"),
                           ({"user_id": "u", "session_id": 3}, "'session_id' is missing or not"),
                           ({"user_id": "u", "session_id": "s", "config": []}, "'config' is not"),
                           ({"user_id": "u", "session_id": "s", "image": IMAGE},
                            "Unknown member 'image'"),
                           ({"user_id": "../u", "session_id": "s"}, "Invalid user id")):
            status, _, text = curl("POST", "/v1/sessions", body)
            self.assertEqual(status, 400, text)
            self.assertIn(what, text)

    def test_http_get_or_create_and_close(self):
        """POST 201 then 200, GET, list, DELETE keeping and deleting the workspace."""
        self.opened.append(("dan", "h1"))
        status, _, text = curl("POST", "/v1/sessions", {"user_id": "dan", "session_id": "h1",
                                                        "config": self.http_config()})
        self.assertEqual(status, 201, text)
        status, _, text = curl("POST", "/v1/sessions", {"user_id": "dan", "session_id": "h1"})
        self.assertEqual((status, json.loads(text)["created"]), (200, False), text)
        status, _, text = curl("GET", "/v1/sessions/dan/h1")
        self.assertEqual(json.loads(text)["state"], "running", text)
        status, _, text = curl("GET", "/v1/sessions?user=dan")
        self.assertEqual([s["session"] for s in json.loads(text)["sessions"]], ["h1"], text)
        status, _, text = curl("GET", "/v1/sessions")
        self.assertIn(("dan", "h1"), [(s["user"], s["session"])
                                      for s in json.loads(text)["sessions"]], text)
        # the feature service's own routes stay below it
        status, _, text = curl("POST", "/v1/sessions/ListSessions", {"user": "dan"})
        self.assertEqual((status, len(json.loads(text)["sessions"])), (200, 1), text)
        ws = f"{WORKSPACES}/dan/h1"
        curl("PUT", "/v1/sessions/dan/h1/files?path=keep.txt", raw_body="kept\n",
             content_type="text/plain")
        status, _, text = curl("DELETE", "/v1/sessions/dan/h1")
        self.assertEqual(status, 200, text)
        self.assertIsNone(self.tender_workload("session-dan-h1"))
        self.assertTrue(os.path.exists(os.path.join(ws, "keep.txt")))
        status, _, text = curl("GET", "/v1/sessions/dan/h1")
        self.assertEqual(status, 404, text)
        # again, deleting the workspace
        status, _, text = curl("POST", "/v1/sessions", {"user_id": "dan", "session_id": "h1",
                                                        "config": self.http_config()})
        self.assertEqual(status, 201, text)
        status, _, text = curl("DELETE", "/v1/sessions/dan/h1?delete_workspace=1")
        self.assertEqual(status, 200, text)
        self.assertFalse(os.path.exists(ws))

    def http_config(self):
        return {"image": self.IMAGE, "backend": self.BACKEND}

    def test_docker_backend_unavailable(self):
        """Without the Docker plugin (no dockerd here), backend docker is Unavailable, naming
        the plugin."""
        if self.BACKEND == "docker":
            self.skipTest("the Docker plugin is active in this class")
        e = self.assertDBusError("Unavailable", self.get, "u", "dk", backend="docker",
                                 image="tender-test/busybox:latest")
        self.assertIn("Docker plugin", e.message)

    def tender_workload(self, name):
        try:
            return self.tender.props(name)
        except DBusError:
            return None

    def test_lifetime_then_restart_on_use(self):
        """The sandbox stops at its lifetime: the properties say so, PropertiesChanged tells
        a watcher (names only), and the next use starts it again."""
        changed = []
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", "org.freedesktop.DBus.Properties", "PropertiesChanged",
            self.session_path("fay", "life"), None, Gio.DBusSignalFlags.NONE,
            lambda *a: changed.append((a[2], a[5].unpack())))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)
        path, _ = self.get("fay", "life", container_lifetime_seconds=2)
        self.assertEqual(path, "/org/tender/Agent1/sessions/fay/life")
        props = self.props(path)
        self.assertEqual((props["user"], props["session"], props["state"], props["health"],
                          props["workload"], props["object_path"], props["rootfs"]),
                         ("fay", "life", "running", "healthy", "session-fay-life", path, ""))
        self.assertGreater(props["main_pid"], 0)
        self.assertEqual(props["config"]["container_lifetime_seconds"], 2)
        # every member of Describe is a property; these are properties also when absent
        described = set(self.describe(path))
        self.assertLessEqual(described, set(props))
        self.assertLessEqual(set(props) - described,
                             {"rootfs", "last_error", "recoveries", "last_logs"})
        self.assertEqual(props["processes_running"], 0)
        # what the start announced, then only what comes with the stop
        context = GLib.MainContext.default()
        wait_for(lambda: (context.iteration(False), False)[1], timeout=0.5)
        changed.clear()
        self.assertTrue(wait_for(lambda: self.describe(path)["state"] == "stopped",
                                 timeout=20))
        info = self.describe(path)
        self.assertIn("container_lifetime_seconds", info["last_error"])
        props = self.props(path)
        self.assertEqual((props["state"], props["health"], props["main_pid"]),
                         ("stopped", "none", 0))
        self.assertEqual(props["last_error"], info["last_error"])
        self.assertTrue(wait_for(lambda: (context.iteration(False), changed)[1], timeout=10))
        self.assertEqual(changed[0], (path, (SESSION_IFACE, {}, ["state", "health",
                                                                 "last_error", "main_pid"])))
        # the next use starts it again
        self.scall(path, "WriteFile", "saya{sv}", "x", b"1", {})
        self.assertEqual(self.describe(path)["state"], "running")
        self.assertEqual(self.props(path)["state"], "running")
        self.assertEqual(self.tender.props("session-fay-life")["State"], "running")

    def test_idle_expiry(self):
        path, _ = self.get("gus", "idle", inactivity_timeout_seconds=2)
        self.scall(path, "WriteFile", "saya{sv}", "kept", b"1", {})
        self.assertTrue(wait_for(lambda: self.tender_workload("session-gus-idle") is None,
                                 timeout=20))
        listed = self.call("ListSessions", "s", "gus")[0]
        self.assertEqual(listed[0]["state"], "expired")
        self.assertDBusError("InvalidState", self.scall, path, "ReadFile", "s", "kept")
        # GetSession makes a new sandbox over the same workspace
        again, created = self.get("gus", "idle", inactivity_timeout_seconds=2)
        self.assertTrue(created)
        self.assertEqual(bytes(self.scall(again, "ReadFile", "s", "kept")[0]), b"1")

    def test_reconnect_after_kill9(self):
        """A kill -9 of tenderd: the next one reads the records and finds the same
        sandbox, running."""
        path, _ = self.get("hal", "k9")
        self.scall(path, "WriteFile", "saya{sv}", "a", b"before", {})
        pid = self.describe(path)["main_pid"]
        self.addCleanup(tenderd_restart_settings(1))
        old = self.tenderd_pid
        run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(wait_for(lambda: run(["busctl", "status", "org.tender.Agent1"],
                                             check=False).returncode == 0, timeout=30))
        self.assertTrue(wait_for(lambda: self.describe_or_none(path) is not None, timeout=30))
        again, created = self.get("hal", "k9")
        self.assertEqual((again, created), (path, False))
        info = self.describe(path)
        self.assertEqual((info["state"], info["main_pid"]), ("running", pid))
        self.assertEqual(bytes(self.scall(path, "ReadFile", "s", "a")[0]), b"before")

    def describe_or_none(self, path):
        try:
            return self.describe(path)
        except DBusError:
            return None

    def exec_in(self, path, script):
        """sh -c SCRIPT in the session's sandbox (the core's ExecWorkload on its workload)
        → (exit code, signal, stdout, stderr)."""
        workload = self.describe(path)["workload"]
        code, signo, out, err, _ = self.tender.call("ExecWorkload", "sasa{sv}", workload,
                                                    ["sh", "-c", script], {})
        return code, signo, bytes(out).decode(), bytes(err).decode()

    def kill_sandbox(self, path):
        """Kills the sandbox from outside: its main process, with SIGKILL."""
        os.kill(self.describe(path)["main_pid"], signal.SIGKILL)

    def wait_recovered(self, path, old_pid, recoveries=1):
        def recovered():
            info = self.describe(path)
            return (info["health"] == "healthy" and info.get("main_pid") not in (None, old_pid)
                    and info.get("recoveries", 0) >= recoveries)
        self.assertTrue(wait_for(recovered, timeout=60), self.describe(path))
        return self.describe(path)

    def test_health_recovers_killed_sandbox(self):
        """A sandbox killed from outside is brought back by the health monitor, its
        workspace's files still there, its last log lines and what happened on the session."""
        path, _ = self.get("ivy", "heal")
        self.scall(path, "WriteFile", "saya{sv}", "kept.txt", b"still here\n", {})
        pid = self.describe(path)["main_pid"]
        # a line of the sandbox's own output, as its main process writes it
        with open(f"/proc/{pid}/fd/1", "w") as f:
            f.write("sandbox says goodbye\n")
        self.assertTrue(wait_for(lambda: any("goodbye" in line for line in run(
            ["journalctl", "-o", "cat", "--no-pager", "TENDER_WORKLOAD=session-ivy-heal"],
            check=False).stdout.splitlines()), timeout=20))
        self.kill_sandbox(path)
        info = self.wait_recovered(path, pid)
        self.assertEqual(info["state"], "running", info)
        self.assertIn("the sandbox ended", info["last_error"])
        self.assertIn("health monitor", info["last_error"])
        self.assertIn("sandbox says goodbye", info["last_logs"])
        self.assertLessEqual(len(info["last_logs"]), 20)
        self.assertEqual(bytes(self.scall(path, "ReadFile", "s", "kept.txt")[0]),
                         b"still here\n")
        self.assertEqual(len(sandbox_sleeps()), 1, sandbox_sleeps())
        self.assertEqual(self.tender.props("session-ivy-heal")["State"], "running")

    def unrecoverable_session(self):
        """A session whose sandbox cannot be made again once it is gone: on native, a rootfs
        that is then taken away; returns (path, a function that takes it away)."""
        root = os.path.join(self.tmp, "doomed-root")
        shutil.rmtree(root, ignore_errors=True)
        images.busybox_rootfs(root)
        self.opened.append(("gus", "doom"))
        path, _ = self.call("GetSession", "ssa{sv}", "gus", "doom", config(rootfs=root))

        def take_away():
            self.kill_sandbox(path)
            os.rename(root, root + ".gone")
            self.addCleanup(shutil.rmtree, root + ".gone", True)
        return path, take_away

    def test_unrecoverable_sandbox_is_failed(self):
        """A sandbox that is gone and cannot be made again: the session is failed, saying
        why; a call on it tries once more and says why it cannot."""
        path, take_away = self.unrecoverable_session()
        self.scall(path, "WriteFile", "saya{sv}", "kept.txt", b"x", {})
        take_away()
        self.assertTrue(wait_for(lambda: self.describe(path)["state"] == "failed", timeout=60),
                        self.describe(path))
        info = self.describe(path)
        self.assertIn("could not recover it", info["last_error"])
        # a call tries once more, and says why it cannot
        with self.assertRaises(DBusError) as ctx:
            self.scall(path, "Exec", "asa{sv}", ["true"], {})
        self.assertIn("Cannot", ctx.exception.message)
        self.assertIn("sandbox", ctx.exception.message)
        # it stays failed (the monitor does not try again and again), the workspace kept
        time.sleep(3 * HEALTH_INTERVAL)
        self.assertEqual(self.describe(path)["state"], "failed")
        self.assertTrue(os.path.exists(f"{WORKSPACES}/gus/doom/kept.txt"))

    def test_pids_limit(self):
        """A fork bomb is bounded by pids_limit; the sandbox lives on."""
        path, _ = self.get("kim", "pids", pids_limit=20)
        code, _, out, err = self.exec_in(
            path, "for i in $(seq 100); do sleep 3 & done; echo all forked")
        self.assertNotEqual(code, 0, (out, err))
        self.assertNotIn("all forked", out)
        self.assertIn("fork", err)
        info = self.describe(path)
        self.assertEqual((info["state"], info["health"]), ("running", "healthy"), info)

    def test_memory_limit(self):
        """A command over the session's memory_limit is killed (the kernel's OOM killer, in
        the sandbox's memory cgroup), Exec says so, and the session answers the next Exec."""
        path, _ = self.get("kai", "mem", memory_limit="32m")
        info = self.describe(path)
        with open(f"/proc/{info['main_pid']}/cgroup") as f:
            cgroup = next(line.split(":", 2)[2].strip() for line in f
                          if line.split(":", 2)[1] == "memory")
        if self.BACKEND == "native":
            self.assertEqual(cgroup, f"/tender.slice/tender-{info['workload']}.scope")
        with open(f"/sys/fs/cgroup/memory{cgroup}/memory.limit_in_bytes") as f:
            self.assertEqual(int(f.read()), 32 * 1024 * 1024)
        r = self.scall(path, "Exec", "asa{sv}", [], {"shell": GLib.Variant(
            "s", "x=$(head -c 67108864 /dev/zero | tr '\\0' x); echo survived")})[0]
        # killed by SIGKILL: a signal, or the 128+9 a runtime that cannot tell says
        self.assertTrue(r["signal"] == 9 or r["exit_code"] == 137, r)
        self.assertNotIn(b"survived", bytes(r["stdout"]))
        r = self.scall(path, "Exec", "asa{sv}", ["echo", "still here"], {})[0]
        self.assertEqual((r["exit_code"], bytes(r["stdout"])), (0, b"still here\n"), r)
        self.assertEqual(self.describe(path)["state"], "running")

    def test_published_port(self):
        """A published port of the sandbox is reachable from the host on its host port."""
        ports = GLib.Variant("aa{sv}", [{"container_port": GLib.Variant("u", 8080),
                                         "host_port": GLib.Variant("u", HOST_PORT)}])
        path, _ = self.get("lee", "port", ports=ports)
        info = self.describe(path)
        self.assertEqual([(p["container_port"], p["host_port"]) for p in info["ports"]],
                         [(8080, HOST_PORT)], info)
        self.scall(path, "WriteFile", "saya{sv}", "www/hello.txt", b"hello from the sandbox\n",
                   {})
        code, _, _, err = self.exec_in(path, "httpd -p 8080 -h /workspace/www")
        self.assertEqual(code, 0, err)

        def fetch():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{HOST_PORT}/hello.txt",
                                            timeout=5) as r:
                    return r.read()
            except OSError:
                return None
        self.assertTrue(wait_for(lambda: fetch() is not None, timeout=20))
        self.assertEqual(fetch(), b"hello from the sandbox\n")

    def test_unprivileged_denied(self):
        uid, _ = ensure_user()
        r = subprocess.run(["busctl", "call", "org.tender.Agent1", PATH, IFACE, "GetSession",
                            "ssa{sv}", "x", "y", "0"], user=uid, capture_output=True,
                           text=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("org.tender.sessions.use", r.stderr + r.stdout)
        status, _, text = curl("POST", "/v1/sessions", {"user_id": "x", "session_id": "y"},
                               user=USER)
        self.assertEqual(status, 403, text)


def processes_running(cmdline):
    """The pids whose command line is exactly @cmdline (a list of arguments)."""
    want = b"".join(a.encode() + b"\0" for a in cmdline)
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read() == want:
                    found.append(pid)
        except OSError:
            pass
    return found


class SessionExecTest(TenderTestCase):
    """Exec and background processes in a session.  Backend-neutral: CONFIG is the session's
    config (a subclass gives another backend's), USER_PREFIX keeps its sessions apart."""
    CONFIG = {"image": IMAGE}
    USER_PREFIX = "x"

    setUpClass = classmethod(SessionsTest.setUpClass.__func__)
    tearDownClass = classmethod(SessionsTest.tearDownClass.__func__)
    close_all = SessionsTest.close_all
    call = SessionsTest.call
    session_path = SessionsTest.session_path
    scall = SessionsTest.scall
    describe = SessionsTest.describe

    def setUp(self):
        super().setUp()
        self.opened = []
        self.addCleanup(self.close_all)

    def get(self, sid, **values):
        user = self.USER_PREFIX + "user"
        if (user, sid) not in self.opened:
            self.opened.append((user, sid))
        for key, value in self.CONFIG.items():
            values.setdefault(key, value)
        path, _ = self.call("GetSession", "ssa{sv}", user, sid, config(**values))
        return path

    def url(self, sid, tail=""):
        return f"/v1/sessions/{self.USER_PREFIX}user/{sid}{tail}"

    def exec(self, path, argv, **options):
        types = {"shell": "s", "working_directory": "s", "timeout_sec": "u",
                 "max_output": "t", "env": "a{ss}", "stdin": "ay"}
        opts = {k: GLib.Variant(types[k], v) for k, v in options.items()}
        return self.scall(path, "Exec", "asa{sv}", argv, opts)[0]

    def test_exec(self):
        """argv and shell, env, the working directory (/workspace by default), exit codes,
        signals, stdin, output capped."""
        path = self.get("ex")
        r = self.exec(path, ["pwd"])
        self.assertEqual((bytes(r["stdout"]), r["exit_code"], r["signal"], r["timed_out"]),
                         (b"/workspace\n", 0, 0, False), r)
        # dockerd tells an exec's pid only while it runs: a quick one may have none
        if self.CONFIG.get("backend") != "docker":
            self.assertGreater(r["pid"], 0)
        r = self.exec(path, [], shell="echo $FOO-$BAR; echo err >&2; exit 3",
                      env={"FOO": "one", "BAR": "two words"})
        self.assertEqual((bytes(r["stdout"]), bytes(r["stderr"]), r["exit_code"]),
                         (b"one-two words\n", b"err\n", 3), r)
        r = self.exec(path, ["pwd"], working_directory="/tmp")
        self.assertEqual(bytes(r["stdout"]), b"/tmp\n", r)
        r = self.exec(path, ["cat"], stdin=b"from stdin\n")
        self.assertEqual(bytes(r["stdout"]), b"from stdin\n", r)
        r = self.exec(path, [], shell="kill -TERM $$")
        # dockerd tells only 128+N for a command a signal ended
        self.assertEqual((r["exit_code"], r["signal"]),
                         (143, 0) if self.CONFIG.get("backend") == "docker" else (-1, 15), r)
        r = self.exec(path, [], shell="head -c 3000000 /dev/zero", max_output=1000)
        self.assertEqual((len(bytes(r["stdout"])), r["truncated"]), (1000, True))
        r = self.exec(path, [], shell="head -c 1500000 /dev/zero")
        self.assertEqual((len(bytes(r["stdout"])), r["truncated"]), (1024 * 1024, True))
        # files written by a command are in the workspace
        self.exec(path, [], shell="echo made > made.txt")
        self.assertEqual(bytes(self.scall(path, "ReadFile", "s", "made.txt")[0]), b"made\n")
        self.assertDBusError("NotFound", self.exec, path, ["no-such-command"])

    def test_exec_timeout(self):
        """At its timeout the command is killed, really: no process of it is left."""
        path = self.get("to")
        start = time.monotonic()
        r = self.exec(path, [], shell="sleep 123457; echo never", timeout_sec=1)
        took = time.monotonic() - start
        self.assertEqual((r["timed_out"], r["signal"], r["exit_code"]), (True, 9, -1), r)
        self.assertEqual(bytes(r["stdout"]), b"")
        self.assertGreaterEqual(r["duration_ms"], 1000, r)
        self.assertLess(took, 10)
        self.assertTrue(wait_for(lambda: processes_running(["sleep", "123457"]) == [],
                                 timeout=10), processes_running(["sleep", "123457"]))
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{r['pid']}"), timeout=10))
        # one that ends in time is not timed out
        r = self.exec(path, ["true"], timeout_sec=5)
        self.assertEqual((r["timed_out"], r["exit_code"]), (False, 0), r)

    def test_exec_bad_input(self):
        path = self.get("bad")
        for argv, options, what in (
                ([], {}, "empty"),
                (["ls"], {"shell": "ls"}, "not both"),
                ([""], {}, "empty"),
                (["ls"], {"working_directory": "rel"}, "working_directory"),
                (["ls"], {"timeout_sec": 10**7}, "timeout_sec"),
                (["ls"], {"max_output": 10**9}, "max_output"),
                (["ls"], {"env": {"A B": "x"}}, "env")):
            e = self.assertDBusError("InvalidArgument", self.exec, path, argv, **options)
            self.assertIn(what, e.message)
        e = self.assertDBusError("InvalidArgument", self.scall, path, "Exec", "asa{sv}",
                                 ["ls"], {"colour": GLib.Variant("s", "blue")})
        self.assertIn("'colour'", e.message)
        e = self.assertDBusError("InvalidArgument", self.scall, path, "Exec", "asa{sv}",
                                 ["ls"], {"timeout_sec": GLib.Variant("s", "1")})
        self.assertIn("'timeout_sec'", e.message)

    def test_exec_http(self):
        self.get("hx")
        status, _, text = curl("POST", self.url("hx", "/exec"),
                               {"command": ["sh", "-c", "cat; pwd; printf '\\377'"],
                                "stdin": "über\n", "env": {"X": "1"}})
        self.assertEqual(status, 200, text)
        r = json.loads(text)
        self.assertEqual((r["stdout"], r["exit_code"], r["timed_out"]),
                         ("über\n/workspace\n\ufffd", 0, False), r)
        status, _, text = curl("POST", self.url("hx", "/exec"),
                               {"command": "echo $X; exit 7", "env": {"X": "shell"},
                                "working_directory": "/tmp", "timeout_sec": 30})
        r = json.loads(text)
        self.assertEqual((status, r["stdout"], r["exit_code"]), (200, "shell\n", 7), text)
        status, _, text = curl("POST", self.url("hx", "/exec"),
                               {"command": "sleep 123458", "timeout_sec": 1})
        self.assertEqual((status, json.loads(text)["timed_out"]), (200, True), text)
        for body, what in (({"command": []}, "empty"), ({"command": [1]}, "command"),
                           ({"command": "x", "stdin": 3}, "stdin"),
                           ({"command": "x", "colour": 1}, "colour")):
            status, _, text = curl("POST", self.url("hx", "/exec"), body)
            self.assertEqual(status, 400, text)
            self.assertIn(what, text)
        status, _, text = curl("POST", self.url("nosuch", "/exec"), {"command": "true"})
        self.assertEqual(status, 404, text)


    def exec_fds(self, path, argv, fds, **options):
        """Exec with descriptors: @fds maps stdin, stdout, stderr to descriptors passed
        with the call."""
        opts = {k: GLib.Variant({"shell": "s", "timeout_sec": "u"}[k], v)
                for k, v in options.items()}
        fd_list = Gio.UnixFDList.new()
        for key, fd in fds.items():
            opts[key] = GLib.Variant("h", fd_list.append(fd))
        try:
            reply, _ = self.tender.bus.call_with_unix_fd_list_sync(
                "org.tender.Agent1", path, SESSION_IFACE, "Exec",
                GLib.Variant("(asa{sv})", (argv, opts)), GLib.VariantType("(a{sv})"),
                Gio.DBusCallFlags.NONE, 60000, fd_list, None)
        except GLib.Error as e:
            remote = Gio.DBusError.get_remote_error(e)
            Gio.DBusError.strip_remote_error(e)
            raise DBusError(remote, e.message) from None
        return reply.unpack()[0]

    def test_exec_descriptors(self):
        """Over D-Bus, stdin, stdout and stderr may be the caller's own descriptors: the
        output goes there as it comes, not into the result."""
        path = self.get("fd")
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            rfd, wfd = os.pipe()
            os.write(wfd, b"through a pipe\n")
            os.close(wfd)
            r = self.exec_fds(path, [], {"stdin": rfd, "stdout": out.fileno(),
                                         "stderr": err.fileno()},
                              shell="cat; head -c 3000000 /dev/zero | tr '\\0' x; "
                                    "echo err >&2; exit 4")
            os.close(rfd)
            out.seek(0)
            err.seek(0)
            data = out.read()
            self.assertEqual((r["exit_code"], bytes(r["stdout"]), r["truncated"]), (4, b"", False),
                             r)
            # no cap applies to the caller's own descriptor
            self.assertEqual(data, b"through a pipe\n" + b"x" * 3000000)
            self.assertEqual(err.read(), b"err\n")
        # a pipe: its reader sees the end once the command ended (tenderd keeps no copy of
        # the caller's descriptors after the answer, as `... | cat` needs)
        rfd, wfd = os.pipe()
        r = self.exec_fds(path, ["echo", "piped"], {"stdout": wfd})
        os.close(wfd)
        got = b""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ready, _, _ = select.select([rfd], [], [], 0.5)
            chunk = os.read(rfd, 4096) if ready else None
            if chunk == b"":
                break
            got += chunk or b""
        else:
            self.fail("the pipe never ended: tenderd keeps its write end")
        os.close(rfd)
        self.assertEqual((r["exit_code"], got), (0, b"piped\n"))
        # a handle that indexes no descriptor of the call, and one for a background process
        e = self.assertDBusError("InvalidArgument", self.scall, path, "Exec", "asa{sv}",
                                 ["true"], {"stdout": GLib.Variant("h", 3)})
        self.assertIn("descriptors", e.message)
        with tempfile.TemporaryFile() as out:
            fd_list = Gio.UnixFDList.new()
            with self.assertRaises(GLib.Error) as ctx:
                self.tender.bus.call_with_unix_fd_list_sync(
                    "org.tender.Agent1", path, SESSION_IFACE, "StartProcess",
                    GLib.Variant("(asa{sv})", (["true"], {
                        "stdout": GLib.Variant("h", fd_list.append(out.fileno()))})),
                    GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 60000, fd_list, None)
            self.assertIn("InvalidArgument", str(ctx.exception))
            self.assertIn("logs", str(ctx.exception))

    def test_exec_dbus_caller_gone(self):
        """A D-Bus caller that leaves the bus while its command runs: the command is killed."""
        path = self.get("gone")
        proc = subprocess.Popen(["busctl", "call", "--timeout=120", "org.tender.Agent1", path,
                                 SESSION_IFACE, "Exec", "asa{sv}", "2", "sleep", "123461", "0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertTrue(wait_for(lambda: processes_running(["sleep", "123461"]), timeout=20))
        proc.kill()
        proc.wait()
        self.assertTrue(wait_for(lambda: not processes_running(["sleep", "123461"]),
                                 timeout=20), "the command outlived its caller")

    def stream(self, sid, body, query="?stream=1"):
        """POST .../exec?stream=1: (status, content type, [(seconds, line object)])."""
        conn = UnixConnection()
        conn.request("POST", self.url(sid, "/exec" + query), body=json.dumps(body),
                     headers={"Content-Type": "application/json"})
        started = time.monotonic()
        resp = conn.getresponse()
        lines = []
        if resp.getheader("Content-Type") == "application/x-ndjson":
            while True:
                line = resp.readline()
                if not line:
                    break
                lines.append((time.monotonic() - started, json.loads(line)))
        else:
            lines.append((0, json.loads(resp.read())))
        conn.close()
        return resp.status, resp.getheader("Content-Type"), lines

    def test_exec_streamed_http(self):
        """POST .../exec?stream=1: lines of output as they come, then the result."""
        self.get("st")
        status, ctype, lines = self.stream("st", {
            "command": "echo one; echo two >&2; sleep 2; printf 'thr\\303'; "
                       "sleep 0.2; printf '\\274e\\n'; exit 5"})
        self.assertEqual((status, ctype), (200, "application/x-ndjson"), lines)
        chunks = [(at, obj) for at, obj in lines if "stream" in obj]
        got = {s: "".join(o["data"] for _, o in chunks if o["stream"] == s)
               for s in ("stdout", "stderr")}
        # a character cut between two chunks comes whole
        self.assertEqual(got, {"stdout": "one\nthr\u00fce\n", "stderr": "two\n"}, lines)
        # "one" came as it was printed, before the sleep was over
        self.assertLess(chunks[0][0], 1.5, lines)
        last = lines[-1][1]
        self.assertEqual((last["exit_code"], last["timed_out"], "stdout" in last), (5, False, False),
                         last)
        self.assertGreaterEqual(last["duration_ms"], 2000)
        # much output, read as it comes: all of it (no cap when streamed)
        status, _, lines = self.stream("st", {"command": "head -c 3000000 /dev/zero | tr '\\0' y"})
        self.assertEqual(sum(len(o.get("data", "")) for _, o in lines), 3000000)
        # errors before the command runs are answers with their status
        status, ctype, lines = self.stream("st", {"command": ["no-such-command"]})
        self.assertEqual((status, lines[0][1]["error"]["name"]),
                         (404, "org.tender.Agent1.Error.NotFound"), lines)
        status, _, lines = self.stream("st", {"command": "true"}, query="?stream=maybe")
        self.assertEqual(status, 400, lines)
        status, _, lines = self.stream("nosuch", {"command": "true"})
        self.assertEqual(status, 404, lines)
        # a timeout ends the stream with timed_out
        status, _, lines = self.stream("st", {"command": "echo a; sleep 123462",
                                              "timeout_sec": 1})
        self.assertEqual((lines[0][1].get("data"), lines[-1][1]["timed_out"]), ("a\n", True),
                         lines)

    def test_exec_streamed_client_gone(self):
        """An HTTP client that hangs up while its command streams: the command is killed."""
        self.get("sg")
        conn = UnixConnection()
        conn.request("POST", self.url("sg", "/exec?stream=1"),
                     body=json.dumps({"command": "echo started; exec sleep 123463"}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(json.loads(resp.readline())["data"], "started\n")
        self.assertTrue(wait_for(lambda: processes_running(["sleep", "123463"]), timeout=10))
        conn.close()
        resp.close()
        self.assertTrue(wait_for(lambda: not processes_running(["sleep", "123463"]),
                                 timeout=20), "the command outlived its client")
        # the same without a stream: the client hangs up while it waits for the answer
        conn = UnixConnection()
        conn.request("POST", self.url("sg", "/exec"),
                     body=json.dumps({"command": ["sleep", "123464"]}),
                     headers={"Content-Type": "application/json"})
        self.assertTrue(wait_for(lambda: processes_running(["sleep", "123464"]), timeout=20))
        conn.close()
        self.assertTrue(wait_for(lambda: not processes_running(["sleep", "123464"]),
                                 timeout=20), "the command outlived its client")

    def start(self, path, argv, **options):
        types = {"shell": "s", "working_directory": "s", "env": "a{ss}"}
        opts = {k: GLib.Variant(types[k], v) for k, v in options.items()}
        return self.scall(path, "StartProcess", "asa{sv}", argv, opts)[0]

    def process(self, path, pid):
        return {p["id"]: p for p in self.scall(path, "ListProcesses")[0]}[pid]

    def test_processes(self):
        """A background process: listed with its pid, its listening port detected, logs with
        tail, killed with a signal; one that ends is kept with its exit code."""
        path = self.get("bg")
        pid = self.start(path, [], shell="i=0; while [ $i -lt 5 ]; do echo line$i; i=$((i+1)); "
                         "done; echo oops >&2; exec nc -l -p 7345")
        info = self.process(path, pid)
        self.assertEqual((info["state"], info["argv"][0]), ("running", "sh"), info)
        self.assertTrue(os.path.exists(f"/proc/{info['pid']}"), info)
        self.assertTrue(wait_for(lambda: [p["port"] for p in self.process(path, pid)["ports"]]
                                 == [7345], timeout=15), self.process(path, pid))
        self.assertEqual(self.describe(path)["processes_running"], 1)
        out, err = self.scall(path, "GetProcessLogs", "sa{sv}", pid,
                              {"tail": GLib.Variant("u", 2)})
        self.assertEqual((bytes(out), bytes(err)), (b"line3\nline4\n", b"oops\n"))
        out, _ = self.scall(path, "GetProcessLogs", "sa{sv}", pid, {})
        self.assertEqual(bytes(out).count(b"\n"), 5)
        # a second one, the port of a child (httpd forks into the background... not: -f)
        pid2 = self.start(path, [], shell="httpd -f -p 7346 & wait", env={"A": "1"})
        self.assertTrue(wait_for(lambda: [p["port"] for p in self.process(path, pid2)["ports"]]
                                 == [7346], timeout=15), self.process(path, pid2))
        self.scall(path, "KillProcess", "si", pid, 15)
        self.assertTrue(wait_for(lambda: self.process(path, pid)["state"] != "running",
                                 timeout=15))
        info = self.process(path, pid)
        self.assertEqual((info["state"], info["signal"], info["ports"]), ("killed", 15, []), info)
        self.assertIn("ended_at", info)
        # one that exits: kept, with its exit code and logs
        pid3 = self.start(path, [], shell="echo done; exit 4")
        self.assertTrue(wait_for(lambda: self.process(path, pid3)["state"] == "exited",
                                 timeout=15))
        self.assertEqual(self.process(path, pid3)["exit_code"], 4)
        out, _ = self.scall(path, "GetProcessLogs", "sa{sv}", pid3, {})
        self.assertEqual(bytes(out), b"done\n")
        self.assertEqual(self.describe(path)["processes_running"], 1)
        # bad input
        self.assertDBusError("NotFound", self.scall, path, "KillProcess", "si", "p999", 15)
        e = self.assertDBusError("InvalidArgument", self.scall, path, "KillProcess", "si",
                                 pid2, 99)
        self.assertIn("signal", e.message)
        self.assertDBusError("InvalidState", self.scall, path, "KillProcess", "si", pid3, 15)
        self.assertDBusError("NotFound", self.scall, path, "GetProcessLogs", "sa{sv}", "p999",
                             {})
        self.assertDBusError("InvalidArgument", self.start, path, [])
        e = self.assertDBusError("InvalidArgument", self.scall, path, "StartProcess", "asa{sv}",
                                 ["sleep", "1"], {"timeout_sec": GLib.Variant("u", 1)})
        self.assertIn("timeout_sec", e.message)
        self.assertDBusError("NotFound", self.start, path, ["no-such-command"])
        self.scall(path, "KillProcess", "si", pid2, 9)
        self.assertTrue(wait_for(lambda: self.describe(path)["processes_running"] == 0,
                                 timeout=15))

    def test_processes_http(self):
        self.get("hp")
        status, _, text = curl("POST", self.url("hp", "/processes"),
                               {"command": ["sh", "-c", "echo a; echo b; exec sleep 123459"]})
        self.assertEqual(status, 201, text)
        pid = json.loads(text)["id"]
        status, _, text = curl("GET", self.url("hp", "/processes"))
        procs = json.loads(text)["processes"]
        self.assertEqual([(p["id"], p["state"]) for p in procs], [(pid, "running")], text)
        self.assertGreater(procs[0]["pid"], 0)
        self.assertTrue(wait_for(lambda: json.loads(curl(
            "GET", self.url("hp", f"/processes/{pid}/logs?tail=1"))[2])["stdout"] == "b\n",
            timeout=10))
        status, _, text = curl("POST", self.url("hp", f"/processes/{pid}/kill"),
                               {"signal": "KILL"})
        self.assertEqual((status, json.loads(text)["signal"]), (200, 9), text)
        self.assertTrue(wait_for(lambda: json.loads(curl("GET", self.url("hp", "/processes"))[2])
                                 ["processes"][0]["state"] == "killed", timeout=10))
        for method, tail, body, code in (
                ("POST", f"/processes/{pid}/kill", {"signal": "BOGUS"}, 400),
                ("POST", "/processes/p999/kill", {}, 404),
                ("GET", "/processes/p999/logs", None, 404),
                ("GET", f"/processes/{pid}/logs?tail=x", None, 400),
                ("POST", "/processes", {"command": []}, 400),
                ("POST", "/processes", {"command": "true", "stdin": "x"}, 400)):
            status, _, text = curl(method, self.url("hp", tail), body)
            self.assertEqual(status, code, (tail, text))

    def follow_http(self, sid, pid, query="?follow=1", first_only=False):
        """GET .../logs with follow: (status, [(seconds, line object)]); @first_only: the
        connection (still open) and the first line."""
        conn = UnixConnection()
        conn.request("GET", self.url(sid, f"/processes/{pid}/logs{query}"))
        started = time.monotonic()
        resp = conn.getresponse()
        if first_only:
            return conn, resp, json.loads(resp.readline())
        lines = []
        if resp.getheader("Content-Type") == "application/x-ndjson":
            for line in iter(resp.readline, b""):
                lines.append((time.monotonic() - started, json.loads(line)))
        else:
            lines.append((0, json.loads(resp.read())))
        conn.close()
        return resp.status, lines

    @staticmethod
    def followed_text(lines):
        return {s: "".join(o["data"] for _, o in lines if o.get("stream") == s)
                for s in ("stdout", "stderr")}

    def test_logs_follow_http(self):
        """GET .../logs?follow=1: the kept tail, then output as the process writes it, then
        a last line with how it ended; a process that ended gives all at once."""
        path = self.get("fh")
        pid = self.start(path, [], shell="echo one; sleep 2; echo two >&2; exit 3")
        status, lines = self.follow_http("fh", pid)
        self.assertEqual(status, 200, lines)
        self.assertEqual(self.followed_text(lines), {"stdout": "one\n", "stderr": "two\n"},
                         lines)
        # "one" came while the process ran, its end two seconds later
        self.assertLess(lines[0][0], 1.5, lines)
        self.assertGreater(lines[-1][0], 1.5, lines)
        self.assertEqual(lines[-1][1], {"state": "exited", "exit_code": 3, "signal": 0}, lines)
        # an ended one: its tail and its end, at once
        status, lines = self.follow_http("fh", pid, "?follow=1&tail=1")
        self.assertEqual((status, self.followed_text(lines), lines[-1][1]["exit_code"]),
                         (200, {"stdout": "one\n", "stderr": "two\n"}, 3), lines)
        self.assertLess(lines[-1][0], 1.5, lines)
        pid2 = self.start(path, [], shell="echo a; echo b; echo c")
        self.assertTrue(wait_for(lambda: self.process(path, pid2)["state"] == "exited",
                                 timeout=15))
        status, lines = self.follow_http("fh", pid2, "?tail=1&follow=true")
        self.assertEqual(self.followed_text(lines)["stdout"], "c\n", lines)
        # a killed one says so
        pid3 = self.start(path, [], shell="echo up; exec sleep 123466")
        conn, resp, first = self.follow_http("fh", pid3, first_only=True)
        self.assertEqual(first, {"stream": "stdout", "data": "up\n"})
        self.scall(path, "KillProcess", "si", pid3, 9)
        last = json.loads(resp.readline())
        self.assertEqual((last["state"], last["signal"]), ("killed", 9), last)
        self.assertEqual(resp.readline(), b"")
        conn.close()
        # much output while following: all of it, in order
        pid4 = self.start(path, [], shell="sleep 1; seq 200000")
        status, lines = self.follow_http("fh", pid4)
        self.assertEqual(self.followed_text(lines)["stdout"],
                         "".join(f"{i}\n" for i in range(1, 200001)))
        # bad input
        for query, code in (("?follow=maybe", 400), ("?follow=1&tail=x", 400)):
            status, lines = self.follow_http("fh", pid, query)
            self.assertEqual(status, code, lines)
            self.assertIn("follow" if "maybe" in query else "tail", lines[0][1]["error"]["message"])
        status, lines = self.follow_http("fh", "p999")
        self.assertEqual(status, 404, lines)

    def test_logs_follow_client_gone(self):
        """A client that hangs up while following ends the follow, not the process."""
        path = self.get("fg")
        pid = self.start(path, [], shell="echo started; exec sleep 123464")
        conn, resp, first = self.follow_http("fg", pid, first_only=True)
        self.assertEqual(first["data"], "started\n")
        conn.close()
        resp.close()
        time.sleep(1)
        self.assertEqual(self.process(path, pid)["state"], "running")
        self.assertTrue(processes_running(["sleep", "123464"]))
        # and it may be followed again
        conn, resp, first = self.follow_http("fg", pid, first_only=True)
        self.assertEqual(first["data"], "started\n")
        conn.close()
        self.scall(path, "KillProcess", "si", pid, 9)

    def test_logs_follow_slow_client(self):
        """A follower that does not read while the process writes much falls behind: it is
        ended with an error line, the process and the other followers go on."""
        path = self.get("fs")
        # 8 MB at about 2 MB/s
        pid = self.start(path, [], shell="echo go; sleep 1; for i in $(seq 80); do "
                         "head -c 100000 /dev/zero | tr '\\0' y; sleep 0.05; done; echo end")
        slow, slow_resp, first = self.follow_http("fs", pid, first_only=True)
        self.assertEqual(first["data"], "go\n")
        # another, reading as it comes, gets all of it
        status, lines = self.follow_http("fs", pid)
        self.assertEqual(len(self.followed_text(lines)["stdout"]), 8000000 + 7, lines[-1])
        self.assertEqual(lines[-1][1]["exit_code"], 0, lines[-1])
        last = [json.loads(line) for line in iter(slow_resp.readline, b"")][-1]
        slow.close()
        self.assertEqual(last["error"]["name"], "org.tender.Agent1.Error.LimitReached", last)
        self.assertIn("behind", last["error"]["message"])
        self.assertEqual(self.process(path, pid)["exit_code"], 0)

    def follow_dbus(self, path, pid, opts, fds):
        """GetProcessLogs with descriptors (in a thread): the thread and its [reply or
        error]."""
        fd_list = Gio.UnixFDList.new()
        opts = dict(opts)
        for key, fd in fds.items():
            opts[key] = GLib.Variant("h", fd_list.append(fd))
        result = []

        def call():
            try:
                reply, _ = self.tender.bus.call_with_unix_fd_list_sync(
                    "org.tender.Agent1", path, SESSION_IFACE, "GetProcessLogs",
                    GLib.Variant("(sa{sv})", (pid, opts)), GLib.VariantType("(ayay)"),
                    Gio.DBusCallFlags.NONE, 60000, fd_list, None)
                result.append(reply.unpack())
            except GLib.Error as e:
                result.append(e)
            finally:
                # our copies of the descriptors: the reader's EOF comes once all are closed
                for fd in fd_list.steal_fds():
                    os.close(fd)
        thread = threading.Thread(target=call)
        thread.start()
        return thread, result

    @staticmethod
    def read_pipe(fd, until=None, timeout=20):
        """What comes from the pipe @fd until it ends (or has @until), within @timeout."""
        data = b""
        deadline = time.monotonic() + timeout
        while until is None or until not in data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise AssertionError(f"the pipe did not end within {timeout} s: {data!r}")
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
        return data

    def test_logs_follow_dbus(self):
        """GetProcessLogs with follow writes to the caller's descriptors as the process
        writes, and returns once it ended; a caller that closes its end stops the follow,
        not the process; bad combinations are refused."""
        path = self.get("fd2")
        pid = self.start(path, [], shell="echo one; sleep 2; echo two >&2; exit 3")
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        started = time.monotonic()
        thread, result = self.follow_dbus(path, pid, {"follow": GLib.Variant("b", True)},
                                          {"stdout": out_w, "stderr": err_w})
        os.close(out_w)
        os.close(err_w)
        try:
            self.assertEqual(self.read_pipe(out_r, until=b"\n"), b"one\n")
            self.assertLess(time.monotonic() - started, 1.5)
            self.assertTrue(thread.is_alive())
            thread.join(30)
            self.assertGreater(time.monotonic() - started, 1.5)
            self.assertEqual(result, [([], [])], result)
            # all is there: nothing more on stdout, "two" on stderr
            self.assertEqual(self.read_pipe(err_r, until=b"\n"), b"two\n")
            if select.select([out_r], [], [], 0.5)[0]:
                self.assertEqual(os.read(out_r, 100), b"")
        finally:
            os.close(out_r)
            os.close(err_r)
        # a caller that closes its end while the process runs on
        pid2 = self.start(path, [], shell="echo x; exec sleep 123467")
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        thread, result = self.follow_dbus(path, pid2, {"follow": GLib.Variant("b", True)},
                                          {"stdout": out_w, "stderr": err_w})
        os.close(out_w)
        os.close(err_w)
        self.assertEqual(self.read_pipe(out_r, until=b"\n"), b"x\n")
        os.close(out_r)
        thread.join(20)
        self.assertFalse(thread.is_alive(), "the follow outlived its reader")
        os.close(err_r)
        self.assertEqual(result, [([], [])], result)
        self.assertEqual(self.process(path, pid2)["state"], "running")
        self.scall(path, "KillProcess", "si", pid2, 9)
        # bad combinations
        with tempfile.TemporaryFile() as f:
            for opts, fds, what in (
                    ({"follow": GLib.Variant("b", True)}, {}, "descriptors"),
                    ({"follow": GLib.Variant("b", True)}, {"stdout": f.fileno()}, "stderr"),
                    ({}, {"stdout": f.fileno(), "stderr": f.fileno()}, "follow"),
                    ({"follow": GLib.Variant("s", "yes")}, {}, "follow b")):
                thread, result = self.follow_dbus(path, pid, opts, fds)
                thread.join(30)
                self.assertIsInstance(result[0], GLib.Error, (opts, result))
                self.assertIn("InvalidArgument", str(result[0]))
                self.assertIn(what, str(result[0]))

    def test_busy_session_does_not_expire(self):
        """Under a short inactivity timeout, a session running a background process stays;
        an idle one expires; once the process is killed, it expires too."""
        busy = self.get("busy", inactivity_timeout_seconds=2)
        idle = self.get("idle", inactivity_timeout_seconds=2)
        user = self.USER_PREFIX + "user"
        pid = self.start(busy, ["sleep", "123460"])
        self.assertTrue(wait_for(lambda: self.tender_workload(f"session-{user}-idle") is None,
                                 timeout=20))
        time.sleep(3)
        self.assertEqual(self.describe(busy)["state"], "running")
        self.assertEqual(self.process(busy, pid)["state"], "running")
        self.scall(busy, "KillProcess", "si", pid, 9)
        self.assertTrue(wait_for(lambda: self.tender_workload(f"session-{user}-busy") is None,
                                 timeout=20))
        self.assertEqual(processes_running(["sleep", "123460"]), [])
        self.assertEqual(self.call("ListSessions", "s", user)[0][0]["state"], "expired")
        # a running Exec too: past the timeout, it ends as it would have, not killed
        again = self.get("exec", inactivity_timeout_seconds=2)
        r = self.exec(again, [], shell="sleep 4; echo slept")
        self.assertEqual((r["exit_code"], bytes(r["stdout"])), (0, b"slept\n"), r)
        self.assertEqual(self.describe(again)["state"], "running")

    tender_workload = SessionsTest.tender_workload


class SessionsReadmeTest(TenderTestCase):
    """README's "Sessions" examples (seed 003's, over HTTP), and its Python example, as they
    stand there, on the native backend with busybox imported as "busybox"."""
    setUpClass = classmethod(SessionsTest.setUpClass.__func__)
    tearDownClass = classmethod(SessionsTest.tearDownClass.__func__)

    def test_readme(self):
        images.import_image("busybox", os.path.join(self.tmp, "busybox.tar"))
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                               "README.md")) as f:
            readme = f.read()
        section = re.split(r"\n##+ ", readme.split("\n## Sessions\n", 1)[1])[0]
        script = "set -e\n" + "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))
        out = subprocess.run(["bash", "-xc", script], capture_output=True, text=True,
                             timeout=300)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        for expected in ('"created":true', '"created":false', "hello", '"port":8081',
                         '"stdout":"a,b\\n"', '"stdout":"INFO\\n"', "results",
                         '"data":"step 2\\n"', '"exit_code":0'):
            self.assertIn(expected, out.stdout)
        python = re.findall(r"```python\n(.*?)```", section, re.S)[0]
        out = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True,
                             timeout=120)
        self.assertEqual((out.returncode, out.stdout), (0, "200 0 42\n"), out.stderr)
        # every session the examples made is closed: no sandbox is left
        self.assertTrue(wait_for(lambda: not any(
            str(w[0]).startswith("session-") for w in self.tender.list()), timeout=30),
            self.tender.list())


if __name__ == "__main__":
    unittest.main()
