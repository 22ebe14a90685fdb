#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Docker plugin (plugins/docker) and its runtime "docker", against the real tenderd and the
lab's own dockerd (dockerlab.py).

Without dockerd the plugin is deferred, the core serves on, and the plugin comes up by itself
once dockerd starts; a dockerd that speaks an API too old fails it.  A workload whose spec says
runtime docker is the container tender-NAME, through the whole lifecycle over D-Bus, HTTP and
tenderctl: states and events, MainPID, ExitCode, OOM, logs, metrics, limits, pause, the restart
policy, a kill -9 of tenderd and re-adoption, dockerd going away and coming back.  Nothing of
tender's is left in dockerd after a test.
"""

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dockerlab  # noqa: E402
from dockerlab import BUSYBOX_IMAGE, docker  # noqa: E402
from tenderlab import (StateRecorder, TenderTestCase, run, tenderd_pid,  # noqa: E402
                       tenderd_restart_settings, vardict, wait_for)
from test_docker_client import FakeDockerd, UnixHTTPServer  # noqa: E402
from test_http import EventsTest, UnixConnection, curl  # noqa: E402
from test_logs import LOG_OPTION_TYPES  # noqa: E402

TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = "/etc/tender/tenderd.conf"
OWNER_FILTER = "label=org.tender.owner=tender"
# a shell that ends at SIGTERM (PID 1 of a container ignores signals it has no handler for)
LOOP = "trap 'exit 0' TERM; while :; do sleep 0.1; done"
# dockerd's socket as test_dockerd_unreachable forwards it
FORWARDED = "/run/tender-test-docker/docker.sock"


class Forwarder:
    """A unix socket that forwards each connection to dockerd's: dockerd as tenderd sees it,
    which the test can take away (the socket and every connection gone) while dockerd and its
    containers run on."""

    def __init__(self, path):
        self.path = path
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def up(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        if self.listener is None:
            return
        listener, self.listener = self.listener, None
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        os.unlink(self.path)
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(dockerlab.SOCKET)
            with self.lock:
                self.sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        peers = {a: b, b: a}
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [])
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    peers[s].sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                s.close()
            with self.lock:
                self.sockets -= {a, b}


def x_docker(image=BUSYBOX_IMAGE, **keys):
    """The spec keys of a workload of the runtime docker."""
    x = {"image": GLib.Variant("s", image)}
    for key, value in keys.items():
        x[key] = value if isinstance(value, GLib.Variant) else GLib.Variant("s", value)
    return {"runtime": GLib.Variant("s", "docker"), "x-docker": GLib.Variant("a{sv}", x)}


def inspect(name):
    """dockerd's inspect of the workload's container, or None if there is none."""
    out = docker("inspect", f"tender-{name}", check=False)
    return json.loads(out.stdout)[0] if out.returncode == 0 else None


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)


def tender_containers():
    return docker("ps", "-aq", "--filter", OWNER_FILTER).stdout.split()


def ctl(*args, check=True):
    out = run([TENDERCTL, *args], check=False)
    if check:
        assert out.returncode == 0, f"tenderctl {' '.join(args)}: {out.stdout}{out.stderr}"
    return out


def restart_tenderd():
    """Restarts tenderd; returns its new PID."""
    run(["systemctl", "reset-failed", "tenderd.service"], check=False)
    run(["systemctl", "restart", "tenderd.service"])
    assert wait_for(lambda: run(["busctl", "status", "org.tender.Agent1"],
                                check=False).returncode == 0, timeout=30)
    return tenderd_pid()


class DockerTestCase(TenderTestCase):
    """With the lab's dockerd and its test images; the plugin is active."""

    @classmethod
    def setUpClass(cls):
        dockerlab.start_with_images()

    @classmethod
    def tearDownClass(cls):
        dockerlab.stop_dockerd()

    def setUp(self):
        super().setUp()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30),
                        self.plugin_status())

    def tearDown(self):
        super().tearDown()
        # the workloads are removed: so are their containers, and nothing else is tender's
        self.assertTrue(wait_for(lambda: not tender_containers(), timeout=10),
                        docker("ps", "-a").stdout)

    def plugin_status(self):
        return {n: s for n, _, s in self.tender.call("ListPlugins", "")[0]}.get("docker")

    def journal(self):
        """What the running tenderd logged."""
        return run(["journalctl", "-u", "tenderd.service", f"_PID={self.tenderd_pid}", "-o",
                    "cat", "--no-pager"]).stdout

    def create(self, name, argv=None, **spec):
        self.workload(name)
        keys = dict(spec)
        if argv is not None:
            keys["argv"] = argv
        return self.tender.create(name, **keys)

    def metrics(self, name):
        """GetMetrics, once dockerd has given the first figures."""
        result = {}

        def read():
            nonlocal result
            try:
                result = self.tender.call("GetMetrics", "s", name)[0]
            except Exception as e:  # until the first figures are in
                if "ask again" not in str(e):
                    raise
                return False
            return result.get("memory_bytes", 0) > 0
        self.assertTrue(wait_for(read, timeout=10), result)
        return result

    def logs(self, name, count):
        """GetLogs until journald has @count entries of the workload: (stream, message)."""
        entries = []

        def enough():
            nonlocal entries
            entries = self.tender.call("GetLogs", "sa{sv}", name, vardict({}, LOG_OPTION_TYPES))[0]
            return len(entries) >= count
        self.assertTrue(wait_for(enough, timeout=20, interval=0.1), entries)
        return [(e["stream"], e["message"]) for e in entries]


class DockerRuntimeTest(DockerTestCase):
    def test_lifecycle(self):
        """Create, start, stop, start again (the container's changes kept), pause, resume,
        metrics, limits, kill, remove; and the events of each transition."""
        name = "dk-life"
        events = StateRecorder(self.tender)
        self.addCleanup(events.close)
        self.tender.list()  # after the match is in place
        script = f"echo x >> /runs; echo runs=$(wc -l < /runs); {LOOP}"
        self.create(name, ["sh", "-c", script], memory_max=GLib.Variant("t", 64 << 20),
                    cpu_quota_percent=GLib.Variant("u", 50), tasks_max=GLib.Variant("t", 64),
                    **x_docker())
        props = self.tender.props(name)
        self.assertEqual((props["State"], props["Command"]), ("created", ["sh", "-c", script]))
        self.assertIsNone(inspect(name), "the container is made at the first start")
        self.tender.start(name)
        props = self.tender.props(name)
        self.assertEqual(props["State"], "running")
        container = inspect(name)
        # MainPID is the container's first process as the host sees it
        self.assertEqual(props["MainPID"], container["State"]["Pid"])
        with open(f"/proc/{props['MainPID']}/cmdline", "rb") as f:
            self.assertEqual(f.read().split(b"\0")[:2], [b"sh", b"-c"])
        self.assertEqual({k: v for k, v in container["Config"]["Labels"].items()
                          if k != "org.tender.spec-digest"},
                         {"org.tender.owner": "tender", "org.tender.kind": "workload",
                          "org.tender.id": name})
        self.assertIn("TENDER_WORKLOAD=" + name, container["Config"]["Env"])
        host = container["HostConfig"]
        self.assertEqual((host["Memory"], host["NanoCpus"], host["PidsLimit"]),
                         (64 << 20, 500000000, 64))
        self.assertEqual(host["LogConfig"], {"Type": "journald",
                                             "Config": {"env": "TENDER_WORKLOAD"}})
        self.assertEqual(props["Limits"], {"memory_max": 64 << 20, "cpu_quota_percent": 50,
                                           "tasks_max": 64})
        metrics = self.metrics(name)
        self.assertGreater(metrics["memory_bytes"], 0)
        self.assertGreaterEqual(metrics["tasks"], 1)

        # paused: the container is, and running again after
        self.tender.call("PauseWorkload", "s", name)
        self.assertEqual(self.tender.prop(name, "State"), "paused")
        self.assertTrue(wait_for(lambda: inspect(name)["State"]["Paused"]))
        self.tender.call("ResumeWorkload", "s", name)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.assertTrue(wait_for(lambda: not inspect(name)["State"]["Paused"]))

        # a stop ends it; the next start starts the same container, with what it wrote
        self.tender.stop(name, timeout_sec=10)
        props = self.tender.props(name)
        self.assertEqual((props["State"], props["Reason"], props["MainPID"]), ("stopped", "", 0))
        self.assertFalse(inspect(name)["State"]["Running"])
        self.tender.start(name)
        self.assertEqual(inspect(name)["Id"], container["Id"])
        self.assertEqual([m for s, m in self.logs(name, 2)], ["runs=1", "runs=2"])

        # killed by a signal
        self.tender.kill(name, signal.SIGKILL)
        props = self.tender.wait_state(name, "failed")
        self.assertEqual((props["Reason"], props["ExitSignal"]), ("signal: KILL", 9))

        # removed: its container too
        self.tender.remove(name)
        self.assertTrue(wait_for(lambda: inspect(name) is None), "the container is left")
        self.assertEqual(
            events.of(name),
            [("created", "starting", ""), ("starting", "running", ""), ("running", "paused", ""),
             ("paused", "running", ""), ("running", "stopping", ""), ("stopping", "stopped", ""),
             ("stopped", "starting", ""), ("starting", "running", ""),
             ("running", "failed", "signal: KILL")])

    def test_sse_and_prometheus(self):
        """A docker workload is in the HTTP event stream (SSE) and in /metrics as a scope
        workload is."""
        name = "dk-feeds"
        conn = UnixConnection()
        self.addCleanup(conn.close)
        conn.request("GET", "/v1/events")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.create(name, ["sh", "-c", LOOP], **x_docker())
        self.tender.start(name)
        seen = EventsTest.events_of(EventsTest(), resp, name, "running")
        self.assertEqual([s[1:] for s in seen], [("created", "starting"), ("starting", "running")])
        self.metrics(name)  # dockerd has given its figures
        status, _, text = curl("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertRegex(text, r'tender_workload_memory_bytes\{workload="dk-feeds"[^}]*\} '
                               r'[1-9]\d*\n')
        self.assertRegex(text, r'tender_workload_cpu_usage_seconds_total\{workload="dk-feeds"'
                               r'[^}]*\} [0-9.e+-]+\n')
        self.tender.stop(name, timeout_sec=10)
        seen = EventsTest.events_of(EventsTest(), resp, name, "stopped")
        self.assertEqual([s[1:] for s in seen], [("running", "stopping"), ("stopping", "stopped")])

    def test_exits_logs_and_refusals(self):
        """ExitCode, the OOM killer, stdout and stderr in the logs, and specs refused."""
        name = "dk-exit"
        self.create(name, ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"],
                    **x_docker())
        self.tender.start(name)
        props = self.tender.wait_state(name, "exited")
        self.assertEqual((props["ExitCode"], props["Reason"], props["OOMKilled"]),
                         (3, "exit-code: 3", False))
        self.assertCountEqual(self.logs(name, 2),
                              [("stdout", "to-stdout"), ("stderr", "to-stderr")])
        out = ctl("logs", name)
        self.assertEqual((out.stdout, out.stderr), ("to-stdout\n", "to-stderr\n"))

        # more than its memory_max: the OOM killer ends it
        hungry = "dk-oom"
        self.create(hungry, ["sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' x); echo no"],
                    memory_max=GLib.Variant("t", 8 << 20), **x_docker())
        self.tender.start(hungry)
        props = self.tender.wait_state(hungry, "failed")
        self.assertEqual((props["Reason"], props["OOMKilled"], props["ExitSignal"]),
                         ("oom-kill", True, 9))
        self.assertTrue(inspect(hungry)["State"]["OOMKilled"])

        # a bad x-docker is refused at create, naming the key, over D-Bus and HTTP
        for keys, message in (
                ({"runtime": GLib.Variant("s", "docker")},
                 "Spec key 'x-docker.image' is required: workload 'dk-bad' runs in runtime "
                 "'docker'"),
                (x_docker(command=GLib.Variant("as", ["true"])),
                 "Unknown spec key 'x-docker.command': it has image, env, entrypoint, user, "
                 "workdir, ports and network"),
                (x_docker(env=GLib.Variant("as", ["A=1"])),
                 "Spec key 'x-docker.env' must be of type 'a{ss}', not 'as'")):
            e = self.assertDBusError("InvalidArgument", self.tender.create, "dk-bad", **keys)
            self.assertEqual(e.message, message)
        status, _, text = curl("POST", "/v1/workloads",
                               {"name": "dk-bad", "spec": {"runtime": "docker",
                                                           "x-docker": {"image": 5}}})
        self.assertEqual(status, 400, text)
        self.assertIn("x-docker.image", json.loads(text)["error"]["message"])
        self.assertNotIn("dk-bad", [w[0] for w in self.tender.list()])

    def test_restart_policy(self):
        """on-failure starts the same container again, until restart_max."""
        name = "dk-restart"
        self.create(name, ["sh", "-c", "echo run; exit 1"], restart="on-failure",
                    restart_max=GLib.Variant("u", 2), restart_delay_ms=GLib.Variant("u", 100),
                    **x_docker())
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Reason") == "restart-limit",
                                 timeout=30), self.tender.props(name))
        props = self.tender.props(name)
        self.assertEqual((props["State"], props["RestartCount"], props["ExitCode"]),
                         ("failed", 2, 1))
        self.assertEqual(self.logs(name, 3), [("stdout", "run")] * 3)
        self.assertEqual(len(tender_containers()), 1)

    def test_kill9_and_readoption(self):
        """A kill -9 of tenderd: its running container is taken over, the same one; one that
        exited while tenderd was away is reported when it is back."""
        running, ending = "dk-adopt", "dk-ends"
        self.create(running, ["sh", "-c", LOOP], **x_docker())
        self.create(ending, ["sh", "-c", "while [ ! -e /go ]; do sleep 0.1; done; exit 5"],
                    **x_docker())
        self.tender.start(running)
        self.tender.start(ending)
        before = self.tender.props(running)
        self.addCleanup(tenderd_restart_settings(3))
        old = self.tenderd_pid
        run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
        self.assertTrue(wait_for(lambda: tenderd_pid() == 0, timeout=10))
        docker("exec", f"tender-{ending}", "touch", "/go")
        self.assertTrue(wait_for(lambda: not inspect(ending)["State"]["Running"]))
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.tenderd_pid = tenderd_pid()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30))
        props = self.tender.wait_state(ending, "exited")
        self.assertEqual((props["ExitCode"], props["Reason"]), (5, "exit-code: 5"))
        props = self.tender.props(running)
        self.assertEqual((props["State"], props["MainPID"], props["StartedAt"]),
                         ("running", before["MainPID"], before["StartedAt"]))
        self.assertEqual(len(tender_containers()), 2)
        # it is the same run: a stop ends it as ever
        self.tender.stop(running)
        self.assertEqual(self.tender.prop(running, "State"), "stopped")

    def test_dockerd_away(self):
        """dockerd stops, with its containers: a start fails naming it, and the end of the
        run that it stopped is seen; once it is back, starts work again, with no restart of
        tenderd."""
        name, other = "dk-away", "dk-later"
        self.create(name, ["sh", "-c", LOOP], **x_docker())
        self.create(other, ["true"], **x_docker())
        self.tender.start(name)
        went = self.journal().count("dockerd at /run/docker.sock went away")
        try:
            dockerlab._stop_unit()
            self.assertTrue(wait_for(lambda: self.journal().count(
                "dockerd at /run/docker.sock went away") > went, timeout=10),
                "tenderd did not see dockerd go")
            # Unavailable: what it needs is away, try again later (503 over HTTP)
            e = self.assertDBusError("Unavailable", self.tender.start, other)
            self.assertIn("dockerd is not answering at /run/docker.sock", e.message)
            props = self.tender.props(other)
            self.assertEqual(props["State"], "failed")
            self.assertTrue(props["Reason"].startswith(
                "start: dockerd is not answering at /run/docker.sock"), props["Reason"])
            self.tender.list()  # the core serves on
        finally:
            dockerlab._start_unit(30)
        props = self.tender.wait_state(name, ("exited", "failed"))
        self.assertEqual(props["MainPID"], 0)
        self.tender.start(other)
        self.assertEqual(self.tender.wait_state(other, "exited")["ExitCode"], 0)

    def test_dockerd_unreachable(self):
        """dockerd cannot be reached while it and its containers run on (tenderd talks to it
        through a forwarder that the test takes away): what needs it fails with Unavailable
        naming it, a stop waits for it, and an exit meanwhile is seen once it can be reached
        again."""
        forwarder = Forwarder(FORWARDED)
        forwarder.up()
        self.addCleanup(forwarder.down)
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(self.restart_tenderd)
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\nsocket={FORWARDED}\n")
        self.restart_tenderd()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=30),
                        self.plugin_status())
        name, stopped = "dk-cut", "dk-cut-stop"
        for n in (name, stopped):
            self.create(n, ["sh", "-c", LOOP], **x_docker())
            self.tender.start(n)
        self.metrics(name)
        forwarder.down()
        self.assertTrue(wait_for(lambda: f"dockerd at {FORWARDED} went away" in self.journal(),
                                 timeout=10), "tenderd did not see dockerd go")
        away = f"dockerd is not answering at {FORWARDED}"
        for method, signature, args in (("KillWorkload", "si", (name, signal.SIGTERM)),
                                        ("GetMetrics", "s", (name,)),
                                        ("PauseWorkload", "s", (name,))):
            e = self.assertDBusError("Unavailable", self.tender.call, method, signature, *args)
            self.assertIn(away, e.message)
        status, _, text = curl("GET", f"/v1/workloads/{name}/metrics")
        self.assertEqual(status, 503, text)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        # a stop waits for dockerd
        stop = subprocess.Popen([TENDERCTL, "stop", stopped], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        self.addCleanup(stop.wait)
        self.assertTrue(wait_for(lambda: self.tender.prop(stopped, "State") == "stopping"))
        # one ends meanwhile: seen once dockerd can be reached again, and the stop goes out
        docker("stop", f"tender-{name}")
        forwarder.up()
        props = self.tender.wait_state(name, "exited", timeout=15)
        self.assertEqual((props["ExitCode"], props["MainPID"]), (0, 0))
        self.assertEqual(stop.wait(timeout=15), 0, stop.stdout.read())
        props = self.tender.props(stopped)
        self.assertEqual((props["State"], props["Reason"]), ("stopped", ""))

    def restart_tenderd(self):
        self.tenderd_pid = restart_tenderd()


class DockerTenderctlTest(DockerTestCase):
    def test_run_and_readme(self):
        """tenderctl run --runtime docker --image IMAGE, with a command and without; and the
        README's examples, as they stand there."""
        self.workload("dk-hi")
        ctl("run", "dk-hi", "--runtime", "docker", "--image", BUSYBOX_IMAGE, "--",
            "sh", "-c", "echo hi")
        props = self.tender.wait_state("dk-hi", "exited")
        self.assertEqual(props["Spec"]["x-docker"], {"image": BUSYBOX_IMAGE})
        self.assertNotIn("image", props["Spec"])
        self.assertNotIn("isolation", props["Spec"])
        self.assertEqual(self.logs("dk-hi", 1), [("stdout", "hi")])
        # the image's own Cmd (/bin/sh, which ends at once without input)
        self.workload("dk-cmd")
        ctl("run", "dk-cmd", "--runtime", "docker", "--image", BUSYBOX_IMAGE)
        props = self.tender.wait_state("dk-cmd", "exited")
        self.assertEqual((props["ExitCode"], props["Command"]), (0, []))
        self.assertEqual(inspect("dk-cmd")["Config"]["Cmd"], ["/bin/sh"])
        # --x docker=... and --image together: one x-docker, with one image
        self.workload("dk-x")
        ctl("create", "dk-x", "--runtime", "docker", "--image", BUSYBOX_IMAGE,
            "--x", "docker={'env': <{'A': '1'}>}")
        self.assertEqual(self.tender.prop("dk-x", "Spec")["x-docker"],
                         {"image": BUSYBOX_IMAGE, "env": {"A": "1"}})
        out = ctl("create", "dk-x2", "--runtime", "docker", "--image", BUSYBOX_IMAGE,
                  "--x", "docker={'image': <'other'>}", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--image and --x docker with an image cannot be given together",
                      out.stderr)

        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("## Docker", 1)[1].split("\n## ", 1)[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        for name in ("hello", "web"):
            self.workload(name)
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"])
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                             timeout=120, env=env)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


class DockerAbsentTest(TenderTestCase):
    """No dockerd: the plugin waits for it."""

    @classmethod
    def setUpClass(cls):
        # a tenderd that has not seen dockerd yet
        dockerlab.stop_dockerd()
        restart_tenderd()

    def plugin_status(self):
        out = ctl("plugins")
        lines = [line.split(None, 2) for line in out.stdout.splitlines()]
        return {words[0]: words[2] for words in lines if len(words) == 3}.get("docker")

    def test_deferred_until_dockerd_starts(self):
        # deferred, saying why (at once, not on the next backoff)
        prefix = "deferred: dockerd is not answering at /run/docker.sock: "
        self.assertTrue(wait_for(lambda: (self.plugin_status() or "").startswith(prefix) and
                                 self.plugin_status() != prefix + "no answer yet"),
                        self.plugin_status())
        # no runtime docker yet: refused, naming the runtimes there are
        e = self.assertDBusError("NotSupported", self.tender.create, "dk-early", argv=["true"],
                                 **x_docker())
        self.assertIn("runtime 'docker', which this tenderd does not have", e.message)
        # the core is unaffected
        name = self.workload("dk-core")
        self.tender.create(name, argv=["sleep", "100"])
        self.tender.start(name)
        self.assertEqual(self.tender.prop(name, "State"), "running")
        self.tender.stop(name)
        # dockerd starts: the plugin comes up by itself, at once, in the same tenderd
        self.addCleanup(dockerlab.stop_dockerd)
        dockerlab.start_dockerd()
        begun = time.monotonic()
        self.assertTrue(wait_for(lambda: self.plugin_status() == "active", timeout=10),
                        self.plugin_status())
        self.assertLess(time.monotonic() - begun, 5)
        self.assertEqual(tenderd_pid(), self.tenderd_pid)
        self.tender.create(self.workload("dk-now"), argv=["true"], **x_docker())

    def test_api_too_old(self):
        """A dockerd that speaks an API older than 1.41 fails the plugin, saying so."""
        path = "/run/tender-test-old-docker.sock"
        if os.path.exists(path):
            os.unlink(path)
        self.addCleanup(os.unlink, path)
        server = UnixHTTPServer(path, FakeDockerd)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        with open(CONF) as f:
            saved = f.read()
        self.addCleanup(self.restart_tenderd)
        self.addCleanup(write_file, CONF, saved)
        write_file(CONF, f"{saved}\n[plugin docker]\nsocket={path}\n")
        self.restart_tenderd()
        expected = (f"failed: its probe failed: dockerd at {path} speaks API 1.40, older than "
                    "1.41")
        self.assertTrue(wait_for(lambda: self.plugin_status() == expected, timeout=10),
                        self.plugin_status())

    def restart_tenderd(self):
        self.tenderd_pid = restart_tenderd()


if __name__ == "__main__":
    unittest.main()
