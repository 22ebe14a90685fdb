# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers for tender's integration tests.

These tests run inside the lab (tests/lab/tender-lab), where a real systemd, dbus-daemon and
tenderd (installed and started as tenderd.service) are running.  They talk to tenderd the way
a user would: over the system bus, with busctl, and with tenderctl.
"""

import os
import subprocess
import sys
import time
import unittest

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.tender.Agent1"
MANAGER_PATH = "/org/tender/Agent1"
MANAGER_IFACE = "org.tender.Agent1.Manager"
WORKLOAD_IFACE = "org.tender.Agent1.Workload"
CGROUP_ROOT = "/sys/fs/cgroup"

SPEC_TYPES = {
    "argv": "as",
    "env": "as",
    "working_directory": "s",
    "description": "s",
    "labels": "a{ss}",
    "memory_max": "t",
    "cpu_quota_percent": "u",
    "tasks_max": "t",
    "io_read_bandwidth_max": "t",
    "io_write_bandwidth_max": "t",
    "restart": "s",
    "restart_max": "u",
    "restart_delay_ms": "u",
    "max_runtime_sec": "t",
    "pre_start": "aas",
}
HEALTH_TYPES = {
    "command": "as",
    "http_url": "s",
    "interval_sec": "u",
    "timeout_sec": "u",
    "retries": "u",
    "start_period_sec": "u",
    "on_unhealthy": "s",
}
OPTION_TYPES = {"timeout_sec": "u", "force": "b", "name": "s"}


def vardict(values, types):
    """A dict → a{sv}; values that are already GLib.Variant are passed as they are."""
    out = {}
    for key, value in values.items():
        if isinstance(value, GLib.Variant):
            out[key] = value
        elif key == "health" and types is SPEC_TYPES:
            out[key] = GLib.Variant("a{sv}", vardict(value, HEALTH_TYPES))
        else:
            out[key] = GLib.Variant(types[key], value)
    return out


class DBusError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Tender:
    """A client of tenderd's D-Bus API."""

    def __init__(self):
        self.bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)

    def call(self, method, signature, *args, path=MANAGER_PATH, iface=MANAGER_IFACE,
             timeout_ms=120000):
        params = GLib.Variant(f"({signature})", args) if signature else None
        try:
            reply = self.bus.call_sync(BUS_NAME, path, iface, method, params, None,
                                       Gio.DBusCallFlags.NONE, timeout_ms, None)
        except GLib.Error as e:
            name = Gio.DBusError.get_remote_error(e)
            message = e.message
            # GDBus puts "GDBus.Error:NAME: " before the message; a user sees only the rest
            if name and message.startswith(f"GDBus.Error:{name}: "):
                message = message[len(f"GDBus.Error:{name}: "):]
            raise DBusError(name, message) from None
        return reply.unpack() if reply is not None else None

    def create(self, name, options=None, **spec):
        return self.call("CreateWorkload", "sa{sv}a{sv}", name, vardict(spec, SPEC_TYPES),
                         vardict(options or {}, OPTION_TYPES))[0]

    def create_raw(self, name, spec, options=None):
        """spec: a dict of GLib.Variant, to send wrong types on purpose."""
        return self.call("CreateWorkload", "sa{sv}a{sv}", name, spec, options or {})[0]

    def start(self, name, **options):
        self.call("StartWorkload", "sa{sv}", name, vardict(options, OPTION_TYPES))

    def stop(self, name, **options):
        self.call("StopWorkload", "sa{sv}", name, vardict(options, OPTION_TYPES))

    def kill(self, name, signo):
        self.call("KillWorkload", "si", name, signo)

    def remove(self, name, **options):
        self.call("RemoveWorkload", "sa{sv}", name, vardict(options, OPTION_TYPES))

    def list(self):
        return self.call("ListWorkloads", "")[0]

    def export(self, name):
        return self.call("ExportWorkload", "s", name)[0]

    def import_(self, json_text, **options):
        return self.call("ImportWorkload", "sa{sv}", json_text, vardict(options, OPTION_TYPES))[0]

    def path(self, name):
        return self.call("GetWorkload", "s", name)[0]

    def props(self, name):
        return self.call("GetAll", "s", WORKLOAD_IFACE, path=self.path(name),
                         iface="org.freedesktop.DBus.Properties")[0]

    def prop(self, name, prop):
        return self.props(name)[prop]

    def wait_state(self, name, states, timeout=30.0):
        if isinstance(states, str):
            states = (states,)
        deadline = time.monotonic() + timeout
        while True:
            props = self.props(name)
            if props["State"] in states:
                return props
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} is {props['State']}, not {states}: {props}")
            time.sleep(0.05)

    def cleanup(self, name):
        try:
            self.remove(name, force=True, timeout_sec=1)
        except DBusError as e:
            if e.name != "org.tender.Agent1.Error.NotFound":
                raise


class StateRecorder:
    """Records the Manager's WorkloadStateChanged signals, in the order they come."""

    def __init__(self, tender):
        self.bus = tender.bus
        self.events = []
        self.id = self.bus.signal_subscribe(BUS_NAME, MANAGER_IFACE, "WorkloadStateChanged",
                                            MANAGER_PATH, None, Gio.DBusSignalFlags.NONE,
                                            self._on_signal)

    def _on_signal(self, conn, sender, path, iface, signal, params):
        self.events.append(tuple(params.unpack()))

    def pump(self):
        ctx = GLib.MainContext.default()
        while ctx.iteration(False):
            pass

    def of(self, name):
        """(old, new, reason) of every transition of @name seen so far."""
        self.pump()
        return [e[1:] for e in self.events if e[0] == name]

    def wait(self, name, new_state, count=1, timeout=30.0):
        """Waits until @name has entered @new_state @count times; returns its transitions."""
        ok = wait_for(lambda: sum(1 for e in self.of(name) if e[1] == new_state) >= count,
                      timeout=timeout)
        if not ok:
            raise AssertionError(f"{name} never entered {new_state} {count} times: "
                                 f"{self.of(name)}")
        return self.of(name)

    def close(self):
        self.bus.signal_unsubscribe(self.id)


def tenderd_dropin(name, service_lines):
    """A runtime drop-in NAME.conf for tenderd.service, with these lines in [Service];
    returns a function that removes it.  Either takes effect at tenderd's next start."""
    d = "/run/systemd/system/tenderd.service.d"
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{name}.conf")
    with open(path, "w") as f:
        f.write("[Service]\n" + "".join(f"{line}\n" for line in service_lines))
    run(["systemctl", "daemon-reload"])

    def undo():
        os.unlink(path)
        run(["systemctl", "daemon-reload"])
    return undo


def tenderd_restart_settings(restart_sec):
    """A runtime drop-in for tenderd.service; returns a function that removes it."""
    return tenderd_dropin("test-restart", [f"RestartSec={restart_sec}"])


def wait_for(predicate, timeout=10.0, interval=0.02):
    """Polls predicate until it holds (True) or timeout seconds have passed (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def proc_cgroup(pid, controller="name=systemd"):
    """The cgroup of a process in one v1 hierarchy, or the v2 one for controller None."""
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if controller is None and ctrls == "":
                return path
            if controller is not None and controller in ctrls.split(","):
                return path
    return None


def cgroup_file(controller, cgroup, name):
    """Reads a cgroup file of the lab (cgroup v1: one hierarchy per controller)."""
    with open(os.path.join(CGROUP_ROOT, controller, cgroup.lstrip("/"), name)) as f:
        return f.read().strip()


def run(cmd, check=True, **kwargs):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kwargs)


def tenderd_pid():
    return int(run(["systemctl", "show", "-P", "MainPID", "tenderd.service"]).stdout.strip())


def unmount(path, attempts=50):
    """Unmounts @path; a mount that stays busy (a process that has a file open in it, here or
    in a copy of the mount in a service's namespace) is detached lazily at the end, so that
    no test leaves it to the next ones."""
    for _ in range(attempts):
        if run(["umount", path], check=False).returncode == 0 or not os.path.ismount(path):
            return
        time.sleep(0.1)
    run(["umount", "--lazy", path], check=False)


# a test's own mounts below the state directory (the disk-full tests' small tmpfs)
STATE_MOUNTS = ("/var/lib/tender/workloads",)


class TenderTestCase(unittest.TestCase):
    """Creates a client, and removes every workload the test named in self.names."""

    def setUp(self):
        for path in STATE_MOUNTS:
            # a test cut short (a timeout kills it before its cleanups) must not leave a full
            # filesystem to every test after it
            while os.path.ismount(path):
                print(f"tenderlab: {path} was left mounted by an earlier test; unmounting it",
                      file=sys.stderr)
                unmount(path)
        self.tender = Tender()
        self.names = []
        self.tenderd_pid = tenderd_pid()
        self.assertGreater(self.tenderd_pid, 0, "tenderd.service is not running")

    def tearDown(self):
        for name in self.names:
            self.tender.cleanup(name)
        # whatever a test did, tenderd must still be the same, answering process
        self.assertEqual(tenderd_pid(), self.tenderd_pid, "tenderd restarted during the test")
        self.tender.list()

    def workload(self, name):
        self.names.append(name)
        return name

    def tmpfile(self, name):
        """A fresh path in /tmp, removed after the test."""
        path = f"/tmp/tender-test.{name}"
        if os.path.exists(path):
            os.unlink(path)
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))
        return path

    def start_trapping_shell(self, name, trap):
        """Creates and starts a shell that installs @trap, then says so, so that no signal
        can overtake the trap. Returns the workload's properties."""
        ready = self.tmpfile(f"{name}.ready")
        self.tender.create(self.workload(name), argv=[
            "sh", "-c", f"{trap}; : > {ready}; while :; do sleep 0.1 || :; done"])
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: os.path.exists(ready)), "the shell never got ready")
        return self.tender.props(name)

    def assertDBusError(self, name, func, *args, **kwargs):
        with self.assertRaises(DBusError) as ctx:
            func(*args, **kwargs)
        self.assertEqual(ctx.exception.name, f"org.tender.Agent1.Error.{name}",
                         ctx.exception.message)
        return ctx.exception
