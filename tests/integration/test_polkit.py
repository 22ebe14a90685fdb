#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Authorization through polkit: an unprivileged user, the default policy, rules files."""

import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import unittest

from tenderlab import MANAGER_PATH, TenderTestCase, run, wait_for

USER = "tenderpkuser"
GROUP = "tender"  # the group the example rules file names
RULES_DIR = "/etc/polkit-1/rules.d"
EXAMPLE = "/usr/share/doc/tender/examples/50-tender-example.rules.example"

# Calls one method as whoever runs it and prints {"error": NAME, "message": ...} or
# {"reply": ...}.  Arguments: object path, interface, method, signature, GVariant text.
CALLER = r"""
import json, sys
import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib
path, iface, method, sig, text = sys.argv[1:6]
params = GLib.Variant.parse(GLib.VariantType(f"({sig})"), text, None, None) if sig else None
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
try:
    reply = bus.call_with_unix_fd_list_sync("org.tender.Agent1", path, iface, method, params,
                                            None, Gio.DBusCallFlags.NONE, 30000, None, None)
    print(json.dumps({"reply": reply[0].print_(False) if reply[0] is not None else ""}))
except GLib.Error as e:
    name = Gio.DBusError.get_remote_error(e)
    Gio.DBusError.strip_remote_error(e)
    print(json.dumps({"error": name, "message": e.message}))
"""

MANAGE = {
    "CreateWorkload": ("sa{sv}a{sv}", '("pk-evil", {"argv": <["id"]>}, @a{sv} {})'),
    "StartWorkload": ("sa{sv}", '("{name}", @a{sv} {})'),
    "StopWorkload": ("sa{sv}", '("{name}", @a{sv} {})'),
    "KillWorkload": ("si", '("{name}", 9)'),
    "PauseWorkload": ("s", '("{name}",)'),
    "ResumeWorkload": ("s", '("{name}",)'),
    "RemoveWorkload": ("sa{sv}", '("{name}", {"force": <true>})'),
    "ImportWorkload": ("sa{sv}", '(' + json.dumps(json.dumps(
        {"format": "tender-workload/1", "name": "pk-evil", "spec": {"argv": ["id"]}})) + ', @a{sv} {})'),
}
READ = {
    "ListWorkloads": ("", ""),
    "GetWorkload": ("s", '("{name}",)'),
    "GetLogs": ("sa{sv}", '("{name}", @a{sv} {})'),
    "FollowLogs": ("sa{sv}", '("{name}", @a{sv} {})'),
    "GetMetrics": ("s", '("{name}",)'),
    "ExportWorkload": ("s", '("{name}",)'),
}
DENIED = "org.tender.Agent1.Error.AccessDenied"
TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
AUTHORITY_CHECK = os.environ.get("TENDER_AUTHORITY_CHECK")
READ_ACTION = "org.tender.workloads.read"
MANAGE_ACTION = "org.tender.workloads.manage"


def ensure_user():
    """The unprivileged user, in the group GROUP (created if missing)."""
    created_group = False
    try:
        grp.getgrnam(GROUP)
    except KeyError:
        run(["groupadd", "--system", GROUP])
        created_group = True
    if run(["id", "-u", USER], check=False).returncode != 0:
        run(["useradd", "--system", "--no-create-home", USER])
    return pwd.getpwnam(USER).pw_uid, created_group


class PolkitTest(TenderTestCase):
    @classmethod
    def setUpClass(cls):
        cls.uid, cls.created_group = ensure_user()

    @classmethod
    def tearDownClass(cls):
        run(["userdel", USER], check=False)
        if cls.created_group:
            run(["groupdel", GROUP], check=False)

    def setUp(self):
        super().setUp()
        self.rules = []
        self.addCleanup(self.remove_rules)
        # a workload root made, for the methods on an existing workload
        self.existing = self.workload("pk-existing")
        self.tender.create(self.existing, argv=["sleep", "300"])
        self.tender.start(self.existing)
        self.names.append("pk-evil")

    def remove_rules(self):
        for path in self.rules:
            if os.path.exists(path):
                os.unlink(path)

    def add_rules(self, filename, text):
        path = os.path.join(RULES_DIR, filename)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
        self.rules.append(path)
        return path

    def call_as_user(self, method, sig="", text="", path=MANAGER_PATH,
                     iface="org.tender.Agent1.Manager", name=None):
        text = text.replace("{name}", name or self.existing)
        r = subprocess.run([sys.executable, "-c", CALLER, path, iface, method, sig, text],
                           user=self.uid, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def assertDenied(self, method, sig="", text="", **kwargs):
        out = self.call_as_user(method, sig, text, **kwargs)
        self.assertEqual(out.get("error"), DENIED, f"{method}: {out}")
        return out["message"]

    def assertAllowed(self, method, sig="", text="", **kwargs):
        out = self.call_as_user(method, sig, text, **kwargs)
        self.assertIn("reply", out, f"{method}: {out}")
        return out["reply"]

    def props_as_user(self, name):
        return self.call_as_user("GetAll", "s", '("org.tender.Agent1.Workload",)',
                                 path=self.tender.path(name),
                                 iface="org.freedesktop.DBus.Properties")

    def read_rule(self):
        # what the default policy gives an active local user: read, not manage
        self.add_rules("10-tender-test-read.rules", f"""
polkit.addRule(function(action, subject) {{
    if (action.id == "org.tender.workloads.read" && subject.user == "{USER}")
        return polkit.Result.YES;
}});
""")
        self.assertTrue(wait_for(lambda: "reply" in self.call_as_user("ListWorkloads"),
                                 timeout=30), "polkitd never applied the rule")

    def assertUntouched(self):
        self.assertEqual(self.tender.prop(self.existing, "State"), "running")
        self.assertNotIn("pk-evil", [w[0] for w in self.tender.list()])

    def test_default_denies_a_user_outside_any_session(self):
        for method, (sig, text) in {**MANAGE, **READ}.items():
            with self.subTest(method=method):
                message = self.assertDenied(method, sig, text)
                self.assertIn("Not authorized", message)
        # a workload's properties are a read like GetWorkload
        out = self.props_as_user(self.existing)
        self.assertEqual(out.get("error"), DENIED, out)
        self.assertUntouched()
        # the bus lets the call through: what is public stays readable
        self.assertIn("reply", self.call_as_user("Get", "ss",
                                                 '("org.tender.Agent1.Manager", "Version")',
                                                 iface="org.freedesktop.DBus.Properties"))
        out = self.call_as_user("Introspect", iface="org.freedesktop.DBus.Introspectable")
        self.assertIn("CreateWorkload", out["reply"])
        # root is allowed without a rule
        self.assertIn(self.existing, [w[0] for w in self.tender.list()])

    def test_read_rule_allows_reading_only(self):
        self.read_rule()
        for method, (sig, text) in READ.items():
            with self.subTest(method=method):
                self.assertAllowed(method, sig, text)
        self.assertIn(self.existing, self.assertAllowed("ListWorkloads"))
        self.assertIn("sleep", self.assertAllowed("ExportWorkload", "s", '("{name}",)'))
        props = self.props_as_user(self.existing)
        self.assertIn("'State': <'running'>", props["reply"])
        for method, (sig, text) in MANAGE.items():
            with self.subTest(method=method):
                self.assertDenied(method, sig, text)
        self.assertUntouched()

    def test_example_group_rule_allows_managing(self):
        with open(EXAMPLE) as f:
            example = f.read()
        self.assertIn(f'isInGroup("{GROUP}")', example)
        name = self.workload("pk-made")
        stamp = self.tmpfile("pk-made")
        create = ("sa{sv}a{sv}",
                  f'("{name}", {{"argv": <["sh", "-c", "id -u > {stamp}; exec sleep 300"]>}},'
                  ' @a{sv} {})')
        self.assertDenied("CreateWorkload", *create)
        run(["usermod", "-a", "-G", GROUP, USER])
        self.add_rules("50-tender.rules", example)
        self.assertTrue(wait_for(lambda: "reply" in self.call_as_user(*(("CreateWorkload",)
                                                                        + create)),
                                 timeout=30), "polkitd never applied the example rule")
        self.assertAllowed("StartWorkload", "sa{sv}", '("{name}", @a{sv} {})', name=name)
        self.tender.wait_state(name, "running")
        # it runs, as root like every workload
        self.assertTrue(wait_for(lambda: os.path.exists(stamp) and os.path.getsize(stamp)))
        with open(stamp) as f:
            self.assertEqual(f.read().strip(), "0")
        self.assertAllowed("StopWorkload", "sa{sv}", '("{name}", @a{sv} {})', name=name)
        self.assertNotEqual(self.tender.prop(name, "State"), "running")
        self.assertAllowed("RemoveWorkload", "sa{sv}", '("{name}", @a{sv} {})', name=name)
        self.assertNotIn(name, [w[0] for w in self.tender.list()])

    def test_http_follows_the_same_rules(self):
        """The HTTP API asks polkit as D-Bus does: over the unix socket for the client's
        process, over TCP for the uid its token stands for."""
        from test_http import TOKENS, curl
        token = "pk-user-token-0123456789abcdef"
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        self.assertFalse(os.path.exists(TOKENS))
        fd = os.open(TOKENS, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"{token} {self.uid}\n")
        self.addCleanup(os.unlink, TOKENS)
        name = self.workload("pk-http")
        body = {"name": name, "spec": {"argv": ["sleep", "300"]}}
        for unix, tok in ((True, None), (False, token)):
            for method, path, data in (("GET", "/v1/workloads", None),
                                       ("POST", "/v1/workloads", body),
                                       ("POST", f"/v1/workloads/{self.existing}/stop", None),
                                       ("DELETE", f"/v1/workloads/{self.existing}", None)):
                status, _, text = curl(method, path, data, unix=unix, token=tok, user=self.uid)
                self.assertEqual(status, 403, f"{method} {path}: {text}")
                self.assertEqual(json.loads(text)["error"]["name"], DENIED)
        self.assertEqual(self.tender.prop(self.existing, "State"), "running")
        self.assertNotIn(name, [w[0] for w in self.tender.list()])

        with open(EXAMPLE) as f:
            example = f.read()
        run(["usermod", "-a", "-G", GROUP, USER])
        self.add_rules("50-tender.rules", example)
        self.assertTrue(wait_for(lambda: curl("POST", "/v1/workloads", body,
                                              user=self.uid)[0] == 201, timeout=30),
                        "polkitd never applied the example rule to the HTTP client")
        status, _, text = curl("POST", f"/v1/workloads/{name}/start", unix=False, token=token,
                               user=self.uid)
        self.assertEqual(status, 200, text)
        self.assertEqual(self.tender.prop(name, "State"), "running")

    def test_rules_decide_on_the_details(self):
        self.add_rules("10-tender-test-details.rules", f"""
polkit.addRule(function(action, subject) {{
    if (action.id == "org.tender.workloads.manage" && subject.user == "{USER}" &&
        action.lookup("workload").indexOf("pk-ok-") == 0 &&
        action.lookup("program") == "sh" &&
        action.lookup("command_line") == "sh -c 'sleep 300' 'a b'")
        return polkit.Result.YES;
}});
""")
        ok = self.workload("pk-ok-a")
        self.names.append("pk-ok-b")
        self.names.append("pk-no")

        def create(name, argv):
            text = f'("{name}", {{"argv": <{json.dumps(argv)}>}}, @a{{sv}} {{}})'
            return self.call_as_user("CreateWorkload", "sa{sv}a{sv}", text)

        # a command that keeps running, with an argument that must be quoted
        argv = ["sh", "-c", "sleep 300", "a b"]
        self.assertTrue(wait_for(lambda: "reply" in create(ok, argv),
                                 timeout=30), "polkitd never applied the rule")
        self.assertEqual(create("pk-ok-b", ["sh", "-c", "sleep 300"]).get("error"), DENIED)
        self.assertEqual(create("pk-no", argv).get("error"), DENIED)
        # on an existing workload the details are its own: its name and its command
        self.assertAllowed("StartWorkload", "sa{sv}", '("{name}", @a{sv} {})', name=ok)
        self.tender.wait_state(ok, "running")
        self.assertDenied("StopWorkload", "sa{sv}", '("{name}", @a{sv} {})')
        # an import brings its own name and command
        imported = json.dumps(json.dumps({"format": "tender-workload/1", "name": "pk-ok-b", "spec": {"argv": ["sh"]}}))
        self.assertDenied("ImportWorkload", "sa{sv}", f"({imported}, @a{{sv}} {{}})")
        self.assertEqual([w[0] for w in self.tender.list() if w[0].startswith("pk-")],
                         ["pk-existing", ok])

    def test_tenderctl_as_a_user(self):
        # tenderctl allows interactive authentication; with no agent polkit still refuses
        def tenderctl(*args):
            return subprocess.run([TENDERCTL, *args], user=self.uid, capture_output=True,
                                  text=True, timeout=60)

        r = tenderctl("list")
        self.assertEqual(r.returncode, 1, r)
        self.assertTrue(r.stderr.startswith("tenderctl: "), r.stderr)
        self.assertIn("Not authorized to inspect workloads", r.stderr)
        self.read_rule()
        r = tenderctl("list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.existing, r.stdout)
        r = tenderctl("stop", self.existing)
        self.assertEqual(r.returncode, 1, r)
        self.assertTrue(r.stderr.startswith("tenderctl: "), r.stderr)
        self.assertIn("Not authorized to manage workloads", r.stderr)
        self.assertUntouched()

    @unittest.skipUnless(AUTHORITY_CHECK, "TENDER_AUTHORITY_CHECK is not set")
    def test_uid_and_process_subjects(self):
        """What the HTTP mirror asks: a process (SO_PEERCRED) or a bare uid (a token)."""
        def check(*args):
            r = subprocess.run([AUTHORITY_CHECK, *map(str, args)], capture_output=True,
                               text=True, timeout=60)
            self.assertIn(r.returncode, (0, 1), r.stderr)
            return r.stdout.strip()

        def processes_of_user():
            return run(["pgrep", "-u", str(self.uid)], check=False).stdout.split()

        self.assertTrue(check("uid", self.uid, READ_ACTION).startswith("denied: "))
        self.assertEqual(check("uid", 0, MANAGE_ACTION), "allowed")
        self.read_rule()
        self.assertEqual(check("uid", self.uid, READ_ACTION), "allowed")
        out = check("uid", self.uid, MANAGE_ACTION)
        self.assertTrue(out.startswith("denied: Not authorized to manage workloads"), out)
        # the process that stood in for the uid is gone
        self.assertTrue(wait_for(lambda: processes_of_user() == []), processes_of_user())
        proc = subprocess.Popen(["sleep", "300"], user=self.uid)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        self.assertEqual(check("process", proc.pid, self.uid, READ_ACTION), "allowed")
        self.assertTrue(check("process", proc.pid, self.uid, MANAGE_ACTION)
                        .startswith("denied: "))
        proc.kill()
        proc.wait()
        out = check("process", proc.pid, self.uid, READ_ACTION)
        self.assertTrue(out.startswith("denied: "), out)

    def test_polkit_down_denies_but_root_works(self):
        self.read_rule()
        self.addCleanup(lambda: run(["systemctl", "start", "polkit.service"], check=False))
        self.addCleanup(lambda: run(["systemctl", "unmask", "--runtime", "polkit.service"],
                                    check=False))
        # masked, so that the bus cannot start it again on tenderd's next question
        run(["systemctl", "mask", "--runtime", "polkit.service"])
        run(["systemctl", "stop", "polkit.service"])
        message = self.assertDenied("ListWorkloads")
        self.assertIn("polkit could not be asked", message)
        self.assertDenied("StartWorkload", *MANAGE["StartWorkload"])
        # root needs no polkit, and tenderd serves on
        self.assertIn(self.existing, [w[0] for w in self.tender.list()])
        self.tender.stop(self.existing)
        run(["systemctl", "unmask", "--runtime", "polkit.service"])
        run(["systemctl", "start", "polkit.service"])
        self.assertTrue(wait_for(lambda: "reply" in self.call_as_user("ListWorkloads"),
                                 timeout=30), "reading is not allowed again with polkitd back")


if __name__ == "__main__":
    unittest.main()
