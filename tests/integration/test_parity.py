#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Parity of the front-ends (issue 11 §1): every Manager method, called by an unprivileged user
over D-Bus, over the HTTP unix socket (known by its peer credentials) and over TCP (known by
its bearer token), gets the same verdict from polkit, because polkit sees the same details
of the call every way: "method", "workload", "program" (argv[0]) and "command_line".  The
rules below decide on those details, so that a detail missing or wrong on one front-end
shows as a verdict that differs from the D-Bus one."""

import collections
import json
import os
import subprocess
import sys
import unittest
from string import Template

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio  # noqa: E402

from tenderlab import (BUS_NAME, MANAGER_IFACE, MANAGER_PATH, TenderTestCase,  # noqa: E402
                       run, wait_for)
from test_http import SOCKET, TCP, TOKENS  # noqa: E402
from test_polkit import CALLER, DENIED, GROUP, RULES_DIR, USER, ensure_user  # noqa: E402

TOKEN = "parity-token-0123456789abcdef"
DBUS = "D-Bus"
UNIX = "HTTP unix socket"
TOKEN_TCP = "HTTP TCP token"
TRANSPORTS = (DBUS, UNIX, TOKEN_TCP)
# seconds a following request may stream before curl hangs up: its status came long before
FOLLOW_SEC = 2

# What a call is about, which decides the details polkit sees besides "method":
NOTHING = "nothing"    # no workload: only "method"
EXISTING = "existing"  # a workload root made: its name, and its own command
BRINGS = "brings"      # a new workload: the name and the command the call brings

# One Manager method as a D-Bus call (signature, GVariant text) and as an HTTP request (verb,
# path, JSON body).  $name is the workload, $argv its command, $export its export as JSON text.
Call = collections.namedtuple("Call", "about sig args verb path body")
METHODS = {
    "ListWorkloads": Call(NOTHING, "", "", "GET", "/v1/workloads", None),
    "ListPlugins": Call(NOTHING, "", "", "GET", "/v1/plugins", None),
    "ListAdapters": Call(NOTHING, "", "", "GET", "/v1/adapters", None),
    "GetWorkload": Call(EXISTING, "s", "($name,)", "GET", "/v1/workloads/$name", None),
    "GetLogs": Call(EXISTING, "sa{sv}", "($name, @a{sv} {})",
                    "GET", "/v1/workloads/$name/logs", None),
    "FollowLogs": Call(EXISTING, "sa{sv}", "($name, @a{sv} {})",
                       "GET", "/v1/workloads/$name/logs?follow=1", None),
    "GetMetrics": Call(EXISTING, "s", "($name,)", "GET", "/v1/workloads/$name/metrics", None),
    "ExportWorkload": Call(EXISTING, "s", "($name,)",
                           "GET", "/v1/workloads/$name/export", None),
    "StartWorkload": Call(EXISTING, "sa{sv}", "($name, @a{sv} {})",
                          "POST", "/v1/workloads/$name/start", None),
    "StopWorkload": Call(EXISTING, "sa{sv}", "($name, {'timeout_sec': <uint32 1>})",
                         "POST", "/v1/workloads/$name/stop", {"timeout_sec": 1}),
    # SIGCONT: harmless to whatever the workload runs
    "KillWorkload": Call(EXISTING, "si", "($name, 18)",
                         "POST", "/v1/workloads/$name/kill", {"signal": 18}),
    "PauseWorkload": Call(EXISTING, "s", "($name,)", "POST", "/v1/workloads/$name/pause", None),
    "ResumeWorkload": Call(EXISTING, "s", "($name,)",
                           "POST", "/v1/workloads/$name/resume", None),
    "RemoveWorkload": Call(EXISTING, "sa{sv}", "($name, @a{sv} {})",
                           "DELETE", "/v1/workloads/$name", None),
    "CreateWorkload": Call(BRINGS, "sa{sv}a{sv}", "($name, {'argv': <$argv>}, @a{sv} {})",
                           "POST", "/v1/workloads", {"name": "$name", "spec": {"argv": "$argv"}}),
    "ImportWorkload": Call(BRINGS, "sa{sv}", "($export, @a{sv} {})",
                           "POST", "/v1/workloads/import", "$export"),
    # the command it runs is $argv too: the details are the exec's command
    "ExecWorkload": Call(EXISTING, "sasa{sv}", "($name, $argv, @a{sv} {})",
                         "POST", "/v1/workloads/$name/exec", {"argv": "$argv"}),
}
# every method has an HTTP route (FollowLogs is GET .../logs?follow=1); one without would be
# listed here, with the reason, and checked over D-Bus only
NO_HTTP_ROUTE = {}
# the image store's methods are about an image, not a workload (their detail is "image"), and
# ImportImage brings a descriptor and an archive: their parity is test_images.py's
# (ImagePolkitTest.test_image_detail)
IMAGE_METHODS = ("ImportImage", "ListImages", "RemoveImage")
ABOUT_A_WORKLOAD = [m for m, c in METHODS.items() if c.about != NOTHING]

# answers that say the request was not understood (a wrong table above), not a verdict
HTTP_NOT_UNDERSTOOD = (0, 400, 401, 404, 405, 411, 415)
DBUS_NOT_UNDERSTOOD = ("org.tender.Agent1.Error.InvalidArgument",
                       "org.tender.Agent1.Error.NotFound",
                       "org.freedesktop.DBus.Error.UnknownMethod",
                       "org.freedesktop.DBus.Error.InvalidArgs")

SLEEP = ["/bin/sleep", "300"]
TRUE = ["/bin/true"]
ECHO = ["/bin/echo", "a b"]
ECHO_LINE = "/bin/echo 'a b'"


def exported(name, argv):
    return {"format": "tender-workload/1", "name": name, "spec": {"argv": argv}}


def fill(value, name, argv):
    """The table's $name, $argv and $export in an HTTP body (a JSON value)."""
    if isinstance(value, dict):
        return {k: fill(v, name, argv) for k, v in value.items()}
    if value == "$name":
        return name
    if value == "$argv":
        return argv
    if value == "$export":
        return exported(name, argv)
    return value


def dbus_as(uid, method, call, name, argv):
    """(verdict, what was answered) of @method called over D-Bus by @uid."""
    text = Template(call.args).substitute(name=json.dumps(name), argv=json.dumps(argv),
                                          export=json.dumps(json.dumps(exported(name, argv))))
    r = subprocess.run([sys.executable, "-c", CALLER, MANAGER_PATH, MANAGER_IFACE, method,
                        call.sig, text], user=uid, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return "no answer", r.stderr.strip()
    out = json.loads(r.stdout)
    error = out.get("error")
    if error == DENIED:
        return "denied", out["message"]
    if error in DBUS_NOT_UNDERSTOOD:
        return "not understood", f"{error}: {out['message']}"
    return "allowed", error or "a reply"


def http_as(uid, call, name, argv, token=None):
    """(verdict, what was answered) of the request that mirrors @call, made by @uid over the
    unix socket, or over TCP with @token."""
    path = Template(call.path).substitute(name=name)
    cmd = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
           "curl", "-s", "-X", call.verb, "-w", "\n%{http_code}",
           "--max-time", str(FOLLOW_SEC if "follow=1" in path else 30)]
    if token is None:
        cmd += ["--unix-socket", SOCKET, "http://localhost" + path]
    else:
        cmd += ["-H", f"Authorization: Bearer {token}", TCP + path]
    body = fill(call.body, name, argv)
    if body is not None:
        cmd += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    text, _, status = r.stdout.rpartition("\n")
    status = int(status or 0)
    answer = f"{call.verb} {path}: HTTP {status} {text[:200]}".strip()
    if status == 403:
        return "denied", answer
    if status in HTTP_NOT_UNDERSTOOD:
        return "not understood", answer
    return "allowed", answer


class ParityTest(TenderTestCase):
    @classmethod
    def setUpClass(cls):
        cls.uid, created_group = ensure_user()
        cls.addClassCleanup(run, ["userdel", USER], check=False)
        if created_group:
            cls.addClassCleanup(run, ["groupdel", GROUP], check=False)

    def setUp(self):
        super().setUp()
        # the user's token, for TCP; no other test's tokens file may be there
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        with open(TOKENS, "x", opener=lambda path, flags: os.open(path, flags, 0o600)) as f:
            f.write(f"{TOKEN} {self.uid}\n")
        self.addCleanup(os.unlink, TOKENS)

    def add_rule(self, body):
        """A rules file for the user's calls on org.tender.*, where @body decides, as a function
        of action; waits until polkitd applies it, and, afterwards, until it is gone again."""
        path = os.path.join(RULES_DIR, "10-tender-parity.rules")
        with open(path, "w") as f:
            f.write(f"""polkit.addRule(function(action, subject) {{
    if (action.id.indexOf("org.tender.") != 0 || subject.user != "{USER}")
        return polkit.Result.NOT_HANDLED;
    return (function(action) {{ {body} }})(action) ? polkit.Result.YES : polkit.Result.NO;
}});
""")
        self.addCleanup(self.wait_listing, "denied", "polkitd never dropped the rule")
        self.addCleanup(os.unlink, path)
        self.wait_listing("allowed", "polkitd never applied the rule")

    def wait_listing(self, verdict, message):
        # every rule here allows ListWorkloads; without one, the user is denied it
        self.assertTrue(wait_for(lambda: dbus_as(self.uid, "ListWorkloads",
                                                 METHODS["ListWorkloads"], "", [])[0] == verdict,
                                 timeout=30), message)

    def prepare(self, call, name, argv):
        """The workload @call is about exists (as root made it), or, for a call that brings
        it, does not; whatever the previous call did to it."""
        if call.about != NOTHING and name not in self.names:
            self.names.append(name)
        if call.about == BRINGS:
            self.tender.cleanup(name)
        elif call.about == EXISTING and name not in [w[0] for w in self.tender.list()]:
            self.tender.create(name, argv=argv)

    def verdicts(self, method, name, argv):
        call = METHODS[method]
        out = {}
        for transport in TRANSPORTS:
            if transport != DBUS and method in NO_HTTP_ROUTE:
                continue
            self.prepare(call, name, argv)
            if transport == DBUS:
                out[transport] = dbus_as(self.uid, method, call, name, argv)
            else:
                token = TOKEN if transport == TOKEN_TCP else None
                out[transport] = http_as(self.uid, call, name, argv, token)
        if call.about == BRINGS:
            self.tender.cleanup(name)
        return out

    def assertParity(self, method, name, argv, want):
        """@method on the workload @name (@argv) is @want over D-Bus, and the same over HTTP."""
        got = self.verdicts(method, name, argv)
        about = f"{method} on {name} ({' '.join(argv)})" if name else method
        with self.subTest(method=method, workload=name, transport=DBUS):
            self.assertEqual(got[DBUS][0], want, f"{about} over D-Bus: {got[DBUS][1]}")
        for transport in got:
            if transport == DBUS:
                continue
            with self.subTest(method=method, workload=name, transport=transport):
                self.assertEqual(got[transport][0], got[DBUS][0],
                                 f"{about}: {got[DBUS][0]} over D-Bus ({got[DBUS][1]}) but "
                                 f"{got[transport][0]} over {transport} ({got[transport][1]})")

    def test_every_method_is_in_the_table(self):
        bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
        xml = bus.call_sync(BUS_NAME, MANAGER_PATH, "org.freedesktop.DBus.Introspectable",
                            "Introspect", None, None, Gio.DBusCallFlags.NONE, 30000,
                            None).unpack()[0]
        iface = Gio.DBusNodeInfo.new_for_xml(xml).lookup_interface(MANAGER_IFACE)
        self.assertEqual(sorted(m.name for m in iface.methods),
                         sorted(list(METHODS) + list(IMAGE_METHODS)))
        for method, reason in NO_HTTP_ROUTE.items():
            self.assertIn(method, METHODS)
            self.assertTrue(reason)

    def check_rule(self, rule, name, argv, want):
        """Every method about a workload, on @name (@argv), is @want under @rule, every way."""
        self.add_rule(rule)
        for method in ABOUT_A_WORKLOAD:
            self.assertParity(method, name, argv, want)

    # (a) a rule on the program: /bin/sleep is denied, /bin/true allowed
    PROGRAM_RULE = 'return action.lookup("program") != "/bin/sleep";'

    def test_program_rule_denied(self):
        self.check_rule(self.PROGRAM_RULE, "par-sleep", SLEEP, "denied")

    def test_program_rule_allowed(self):
        self.check_rule(self.PROGRAM_RULE, "par-true", TRUE, "allowed")

    # (b) a rule on the workload's name: par-deny is denied, par-allow allowed
    WORKLOAD_RULE = 'return action.lookup("workload") != "par-deny";'

    def test_workload_rule_denied(self):
        self.check_rule(self.WORKLOAD_RULE, "par-deny", TRUE, "denied")

    def test_workload_rule_allowed(self):
        self.check_rule(self.WORKLOAD_RULE, "par-allow", TRUE, "allowed")

    # (c) a rule that allows a call only with exactly the details it should bring: each
    # method is called on a workload of its own, so that the method's name is checked too
    @staticmethod
    def details_workload(method):
        return "pd-" + method.lower() if METHODS[method].about != NOTHING else ""

    def details_rule(self):
        expected = {}
        for method in METHODS:
            name = self.details_workload(method)
            expected[method] = ({"workload": name, "program": ECHO[0], "command_line": ECHO_LINE}
                                if name else {})
        self.add_rule(f"""
        var expected = {json.dumps(expected)};
        var want = expected[action.lookup("method")];
        if (want === undefined)
            return false;
        var keys = ["workload", "program", "command_line"];
        for (var i = 0; i < keys.length; i++) {{
            if (action.lookup(keys[i]) !== want[keys[i]])
                return false;
        }}
        return true;""")

    def check_details(self, reads):
        self.details_rule()
        for method, call in METHODS.items():
            if (call.verb == "GET") == reads:
                self.assertParity(method, self.details_workload(method), ECHO, "allowed")

    def test_details_of_reads(self):
        self.check_details(reads=True)

    def test_details_of_changes(self):
        self.check_details(reads=False)


if __name__ == "__main__":
    unittest.main()
