#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Plugins: built out of tree against the installed headers and tender-plugin-1.pc, loaded by
the real tenderd, driven over D-Bus, HTTP and tenderctl; and the plugins tenderd must refuse
(another ABI, a failing init, a shared object that is no plugin, a missing symbol), each with a
clear journal message, while tenderd keeps serving."""

import json
import os
import pwd
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import (DBusError, Gio, GLib, TenderTestCase, proc_cgroup,  # noqa: E402
                       cgroup_file, run, tenderd_pid, wait_for)
from test_http import NOBODY, NOBODY_TOKEN, ROOT_TOKEN, SOCKET, TOKENS, curl  # noqa: E402
from test_polkit import RULES_DIR, USER, ensure_user  # noqa: E402

SOURCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "plugins")
PLUGIN_DIR = "/var/lib/tender-test/plugins"
CONF = "/etc/tender/tenderd.conf"
TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
HELLO_PATH = "/org/tender/Agent1/plugin/hello"
HELLO_IFACE = "org.tender.Test.Hello"
# what the bus says of an object that is not there
UNKNOWN = ("org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod")
PLUGINS = ["hello", "greeter", "bad-abi", "failing-init", "not-a-plugin", "missing-symbol",
           "deferred", "fakert", "execer"]
# hello's service, declared once (tender_plugin_add_service) and served both ways
SERVICE_PATH = HELLO_PATH + "/service"
SERVICE_IFACE = "org.tender.Test.HelloService"
WELCOME = "/v1/plugins/hello/service/Welcome"
WHOAMI = "/v1/plugins/hello/service/Whoami"
INVALID = "org.tender.Agent1.Error.InvalidArgument"
DENIED = "org.tender.Agent1.Error.AccessDenied"
# hello's feature service (tender_plugin_add_feature_service) and its route aliases
FEATURE_PATH = "/org/tender/Agent1/hello"
FEATURE_IFACE = "org.tender.Test.HelloFeature"


def build_plugins():
    """Builds the test plugins as a user would: cc and pkg-config, nothing of the build tree."""
    os.makedirs(PLUGIN_DIR, exist_ok=True)
    flags = run(["pkg-config", "--cflags", "--libs", "tender-plugin-1"]).stdout.split()
    for name in PLUGINS:
        out = os.path.join(PLUGIN_DIR, f"{name}.so")
        src = os.path.join(SOURCES, f"{name}.c")
        if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(src):
            continue
        # the headers must be clean at a high warning level
        run(["cc", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
             "-o", out + ".tmp", src, *flags])
        os.rename(out + ".tmp", out)


def configure(extra=""):
    """tenderd.conf with the test plugin directory, then a restart of tenderd."""
    with open(CONF, "w") as f:
        f.write(f"[plugins]\npath={PLUGIN_DIR}\n{extra}\n[plugin hello]\ngreeting=Howdy\n")
    restart_tenderd()


def restart_tenderd():
    # the tests restart tenderd more often than its unit's start rate limit allows
    run(["systemctl", "reset-failed", "tenderd.service"], check=False)
    run(["systemctl", "restart", "tenderd.service"])
    assert wait_for(lambda: run(["busctl", "status", "org.tender.Agent1"], check=False)
                    .returncode == 0, timeout=30)


class PluginTestCase(TenderTestCase):
    @classmethod
    def setUpClass(cls):
        with open(CONF) as f:
            cls.saved_conf = f.read()
        build_plugins()
        configure()

    @classmethod
    def tearDownClass(cls):
        with open(CONF, "w") as f:
            f.write(cls.saved_conf)
        restart_tenderd()

    def plugins(self):
        return {name: (version, status)
                for name, version, status in self.tender.call("ListPlugins", "")[0]}

    def hello(self, method, signature="", *args):
        return self.tender.call(method, signature, *args, path=HELLO_PATH, iface=HELLO_IFACE)

    def journal(self):
        """What the running tenderd logged."""
        return run(["journalctl", "-u", "tenderd.service", f"_PID={tenderd_pid()}", "-o", "cat",
                    "--no-pager"]).stdout


class LoadTest(PluginTestCase):
    def test_good_and_bad_plugins(self):
        plugins = self.plugins()
        self.assertEqual(plugins["hello"], ("1.0.0", "active"))
        # another ABI: refused before its init runs (which would abort tenderd)
        self.assertEqual(plugins["bad-abi"][1],
                         "failed: built for plugin ABI 99, but this tenderd has ABI 2: "
                         "rebuild it against tender-plugin-1")
        self.assertEqual(plugins["failing-init"][1],
                         "failed: its init failed: the license server cannot be reached")
        self.assertEqual(plugins["not-a-plugin"][1],
                         "failed: not a tender plugin: it has no tender_plugin_describe() "
                         "entry point")
        self.assertTrue(plugins["missing-symbol"][1].startswith("failed: cannot load it: "))
        self.assertIn("undefined symbol: tender_plugin_from_the_future",
                      plugins["missing-symbol"][1])
        # each refusal is in the journal, naming the file
        journal = self.journal()
        for name in ["bad-abi", "failing-init", "not-a-plugin", "missing-symbol"]:
            self.assertIn(f"plugin {PLUGIN_DIR}/{name}.so refused: ", journal)
        self.assertIn(f"plugin hello 1.0.0 loaded from {PLUGIN_DIR}/hello.so", journal)
        # and tenderd serves on
        self.tender.list()
        self.assertEqual(curl("GET", "/api/health")[0], 200)

    def test_failed_init_leaves_nothing_behind(self):
        # it registered an object and a route before failing: neither is served
        with self.assertRaises(DBusError) as ctx:
            self.tender.call("Ping", "", path="/org/tender/Agent1/plugin/failing_2dinit",
                             iface="org.tender.Test.Failing")
        self.assertIn(ctx.exception.name, UNKNOWN)
        nodes = run(["busctl", "tree", "--list", "org.tender.Agent1"]).stdout.split()
        self.assertIn(HELLO_PATH, nodes)
        self.assertNotIn("/org/tender/Agent1/plugin/failing_2dinit", nodes)
        status, _, text = curl("GET", "/v1/plugins/failing-init/ping")
        self.assertEqual(status, 404, text)
        # nor its feature service and its alias
        self.assertIn(FEATURE_PATH, nodes)
        self.assertNotIn("/org/tender/Agent1/failing_2dinit", nodes)
        self.assertEqual(curl("POST", "/v1/failing-init/Get", {"params": {}, "body": ""})[0], 404)
        self.assertEqual(curl("GET", "/failing/ping")[0], 404)

    def test_tenderctl_and_http_list(self):
        out = subprocess.run([TENDERCTL, "plugins"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "VERSION", "STATUS"])
        self.assertIn(["hello", "1.0.0", "active"], [line.split() for line in lines[1:]])
        out = subprocess.run([TENDERCTL, "plugins", "--json"], capture_output=True, text=True)
        listed = {p["Name"]: p["Status"] for p in json.loads(out.stdout)}
        self.assertEqual(listed["hello"], "active")
        self.assertTrue(listed["bad-abi"].startswith("failed: built for plugin ABI 99"))
        status, _, text = curl("GET", "/v1/plugins")
        self.assertEqual(status, 200, text)
        hello = [p for p in json.loads(text) if p["name"] == "hello"][0]
        self.assertEqual(hello, {"name": "hello", "version": "1.0.0", "status": "active",
                                 "description": "says hello, and spawns workloads",
                                 "file": f"{PLUGIN_DIR}/hello.so"})
        # as any Manager method, the list needs org.tender.workloads.read
        status, _, text = curl("GET", "/v1/plugins", user=NOBODY)
        self.assertEqual(status, 403, text)
        out = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                              "--clear-groups", TENDERCTL, "plugins"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 1)
        self.assertIn("not authorized", out.stderr.lower())


class DbusTest(PluginTestCase):
    def test_methods_and_config(self):
        # [plugin hello] greeting= from tenderd.conf
        self.assertEqual(self.hello("Greet", "s", "you"), ("Howdy, you!",))
        self.assertEqual(self.hello("Whoami"), (0,))
        out = run(["busctl", "call", "org.tender.Agent1", HELLO_PATH, HELLO_IFACE, "Greet", "s",
                   "busctl"])
        self.assertEqual(out.stdout.strip(), 's "Howdy, busctl!"')

    def test_methods_are_authorized_by_the_core(self):
        out = run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                   "busctl", "call", "org.tender.Agent1", HELLO_PATH, HELLO_IFACE, "Greet", "s",
                   "x"], check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("not authorized", out.stderr.lower())

    def test_spawned_workload_is_an_engine_workload(self):
        name = self.workload("hello-spawned")
        (pid,) = self.hello("Spawn", "sas", name, ["sleep", "1000"])
        props = self.tender.props(name)
        self.assertEqual(props["State"], "running")
        self.assertEqual(props["MainPID"], pid)
        # in its own scope, with the limit the plugin asked for, like any workload
        self.assertEqual(proc_cgroup(pid), "/tender.slice/tender-hello-spawned.scope")
        self.assertEqual(cgroup_file("memory", proc_cgroup(pid, "memory"),
                                     "memory.limit_in_bytes"), str(64 * 1024 * 1024))
        self.assertIn(name, [w[0] for w in self.tender.list()])
        # the plugin saw the events, and kept the last one in its state directory
        self.tender.stop(name)
        self.assertTrue(wait_for(lambda: any(e.split()[:1] == [name] and e.split()[2] == "stopped"
                                             for e in self.hello("Events")[0])),
                        self.hello("Events"))
        events = [e for e in self.hello("Events")[0] if e.startswith(name + " ")]
        self.assertEqual(events[0], f"{name} - created -")
        self.assertIn(f"{name} created starting -", events)
        state_dir = "/var/lib/tender/plugins/hello"
        self.assertEqual(os.stat(state_dir).st_mode & 0o777, 0o700)
        with open(os.path.join(state_dir, "last-event")) as f:
            self.assertTrue(f.read().startswith(name + " "))
        # its output, from the journal
        out = self.workload("hello-output")
        self.hello("Spawn", "sas", out, ["sh", "-c", "echo one; echo two >&2"])
        self.tender.wait_state(out, ["exited"])
        self.assertTrue(wait_for(lambda: len(self.hello("Logs", "s", out)[0]) == 2))
        self.assertEqual(sorted(self.hello("Logs", "s", out)[0]), ["one", "two"])
        # errors of the engine reach the caller unchanged
        with self.assertRaises(DBusError) as ctx:
            self.hello("Spawn", "sas", name, ["true"])
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.AlreadyExists")


class HttpTest(PluginTestCase):
    def test_routes(self):
        status, _, text = curl("GET", "/v1/plugins/hello/greet/bob")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text), {"text": "Howdy, bob!", "uid": 0})
        name = self.workload("hello-http")
        status, _, text = curl("POST", "/v1/plugins/hello/spawn",
                               {"name": name, "argv": ["sleep", "1000"]})
        self.assertEqual(status, 201, text)
        pid = json.loads(text)["main_pid"]
        self.assertEqual(proc_cgroup(pid), "/tender.slice/tender-hello-http.scope")
        # the plugin's errors get the core's error bodies
        status, _, text = curl("POST", "/v1/plugins/hello/spawn", {"name": name, "argv": []})
        self.assertEqual(status, 409, text)
        self.assertEqual(json.loads(text)["error"]["name"],
                         "org.tender.Agent1.Error.AlreadyExists")
        status, _, text = curl("POST", "/v1/plugins/hello/spawn", {"argv": ["true"]})
        self.assertEqual(status, 400, text)

    def test_core_checks_come_first(self):
        # 404 and 405 from the core
        self.assertEqual(curl("GET", "/v1/plugins/hello/nothing")[0], 404)
        self.assertEqual(curl("GET", "/v1/plugins/no-such-plugin/greet/x")[0], 404)
        status, hdrs, _ = curl("DELETE", "/v1/plugins/hello/spawn")
        self.assertEqual(status, 405)
        self.assertEqual(hdrs["allow"], "POST")
        self.assertEqual(curl("POST", "/v1/plugins/hello/spawn", raw_body="x",
                              content_type="text/plain")[0], 415)
        # polkit: nobody may not read, nor manage
        self.assertEqual(curl("GET", "/v1/plugins/hello/greet/bob", user=NOBODY)[0], 403)
        self.assertEqual(curl("POST", "/v1/plugins/hello/spawn", {"name": "x", "argv": ["true"]},
                              user=NOBODY)[0], 403)
        # a route without an action is open, over TCP too, without a token
        status, _, text = curl("GET", "/v1/plugins/hello/health", unix=False)
        self.assertEqual((status, text), (200, "ok\n"))
        self.assertEqual(curl("GET", "/v1/plugins/hello/greet/bob", unix=False)[0], 401)


class TokensTestCase(PluginTestCase):
    """A tokens file for the TCP listener, root's and nobody's."""

    def setUp(self):
        super().setUp()
        self.tokens = {ROOT_TOKEN: 0, NOBODY_TOKEN: NOBODY}
        self.write_tokens()
        self.addCleanup(os.unlink, TOKENS)

    def write_tokens(self):
        os.makedirs(os.path.dirname(TOKENS), exist_ok=True)
        fd = os.open(TOKENS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("".join(f"{token} {uid}\n" for token, uid in self.tokens.items()))


class ServiceTest(TokensTestCase):
    """hello's service: one declaration, the same answers, errors and authorization over D-Bus
    (busctl) and HTTP (curl, on the unix socket and over TCP with a token)."""

    def service(self, method, signature="", *args):
        return self.tender.call(method, signature, *args, path=SERVICE_PATH, iface=SERVICE_IFACE)

    def busctl(self, method, *args, uid=None):
        cmd = ["busctl", "call", "org.tender.Agent1", SERVICE_PATH, SERVICE_IFACE, method, *args]
        if uid is not None:
            gid = pwd.getpwuid(uid).pw_gid
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"] + cmd
        return run(cmd, check=False)

    def test_same_answer_both_ways(self):
        lines = ["Howdy, bob!", "Howdy, bob!"]
        self.assertEqual(self.service("Welcome", "su", "bob", 2), (lines, 0))
        out = self.busctl("Welcome", "su", "bob", "2")
        self.assertEqual(out.stdout.strip(), 'asu 2 "Howdy, bob!" "Howdy, bob!" 0', out.stderr)
        self.assertEqual(self.busctl("Whoami").stdout.strip(), "u 0")
        for unix, token in ((True, None), (False, ROOT_TOKEN)):
            status, hdrs, text = curl("POST", WELCOME, {"name": "bob", "count": 2}, unix=unix,
                                      token=token)
            self.assertEqual(status, 200, text)
            self.assertEqual(hdrs["content-type"], "application/json")
            self.assertEqual(json.loads(text), {"lines": lines, "uid": 0})
            # a method without in-args is also a GET
            for method in ("GET", "POST"):
                status, _, text = curl(method, WHOAMI, unix=unix, token=token)
                self.assertEqual((status, json.loads(text)), (200, {"uid": 0}))
        # the plugin's error: the same name and message both ways
        with self.assertRaises(DBusError) as ctx:
            self.service("Welcome", "su", "bob", 0)
        self.assertEqual(ctx.exception.name, INVALID)
        status, _, text = curl("POST", WELCOME, {"name": "bob", "count": 0})
        self.assertEqual(status, 400, text)
        self.assertEqual(json.loads(text)["error"]["name"], INVALID)
        self.assertEqual(json.loads(text)["error"]["message"], ctx.exception.message)

    def test_arguments_are_checked_against_the_declaration(self):
        # over D-Bus by the bus library, against the XML
        with self.assertRaises(DBusError) as ctx:
            self.service("Welcome", "s", "bob")
        self.assertEqual(ctx.exception.name, "org.freedesktop.DBus.Error.InvalidArgs")
        # over HTTP by the core, naming the argument at fault
        for body, arg in (({"name": "bob"}, "count"),
                          ({"name": "bob", "count": "two"}, "count"),
                          ({"name": "bob", "count": -1}, "count"),
                          ({"name": 7, "count": 1}, "name"),
                          ({"name": "bob", "count": 1, "colour": "red"}, "colour")):
            status, _, text = curl("POST", WELCOME, body)
            self.assertEqual(status, 400, f"{body}: {text}")
            error = json.loads(text)["error"]
            self.assertEqual(error["name"], INVALID, body)
            self.assertIn(f"'{arg}'", error["message"], body)
        for raw in ("[1, 2]", "not json"):
            self.assertEqual(curl("POST", WELCOME, raw_body=raw)[0], 400, raw)
        # the core's 404 and 405, 401 over TCP without a token
        self.assertEqual(curl("POST", "/v1/plugins/hello/service/Nothing", {})[0], 404)
        self.assertEqual(curl("POST", "/v1/plugins/hello/nowhere/Welcome", {})[0], 404)
        status, hdrs, _ = curl("GET", WELCOME)
        self.assertEqual(status, 405)
        self.assertEqual(hdrs["allow"], "POST")
        self.assertEqual(curl("GET", WHOAMI, unix=False)[0], 401)

    def test_a_polkit_rule_decides_both_ways(self):
        uid, created_group = ensure_user()
        self.addCleanup(run, ["userdel", USER], check=False)
        if created_group:
            self.addCleanup(run, ["groupdel", "tender"], check=False)
        token = "service-user-token-0123456789"
        self.tokens[token] = uid
        self.write_tokens()
        # the user may read, but not call hello's Welcome: the rule decides on the details
        path = os.path.join(RULES_DIR, "10-tender-test-service.rules")
        with open(path, "w") as f:
            f.write(f"""
polkit.addRule(function(action, subject) {{
    if (action.id == "org.tender.workloads.read" && subject.user == "{USER}") {{
        if (action.lookup("plugin") == "hello" && action.lookup("method") == "Welcome" &&
            action.lookup("object_path") == "{SERVICE_PATH}")
            return polkit.Result.NO;
        return polkit.Result.YES;
    }}
}});
""")
        os.chmod(path, 0o644)
        self.addCleanup(os.unlink, path)
        self.assertTrue(wait_for(lambda: curl("GET", WHOAMI, user=uid)[0] == 200, timeout=30),
                        "polkitd never applied the rule")
        out = self.busctl("Whoami", uid=uid)
        self.assertEqual(out.stdout.strip(), f"u {uid}", out.stderr)
        out = self.busctl("Welcome", "su", "bob", "1", uid=uid)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("not authorized", out.stderr.lower())
        for unix, tok in ((True, None), (False, token)):
            status, _, text = curl("GET", WHOAMI, unix=unix, token=tok, user=uid)
            self.assertEqual((status, json.loads(text)), (200, {"uid": uid}))
            status, _, text = curl("POST", WELCOME, {"name": "bob", "count": 1}, unix=unix,
                                   token=tok, user=uid)
            self.assertEqual(status, 403, text)
            self.assertEqual(json.loads(text)["error"]["name"], DENIED)
        # root is not bound by the rule
        self.assertEqual(self.service("Welcome", "su", "root", 1), (["Howdy, root!"], 0))


class FeatureTest(TokensTestCase):
    """hello's feature service, its one top-level object (/org/tender/Agent1/hello, POST
    /v1/hello/METHOD), and the route aliases that call its methods on paths of their own, with
    the status and body it gives, as FastAPI services' clients know them."""

    def busctl(self, method, *args, uid=None):
        cmd = ["busctl", "call", "org.tender.Agent1", FEATURE_PATH, FEATURE_IFACE, method, *args]
        if uid is not None:
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"] + cmd
        return run(cmd, check=False)

    def test_feature_service_both_ways(self):
        nodes = run(["busctl", "tree", "--list", "org.tender.Agent1"]).stdout.split()
        self.assertIn(FEATURE_PATH, nodes)
        self.assertEqual(self.tender.call("Greet", "s", "bob", path=FEATURE_PATH,
                                          iface=FEATURE_IFACE), ("Howdy, bob!", 0))
        out = self.busctl("Greet", "s", "busctl")
        self.assertEqual(out.stdout.strip(), 'su "Howdy, busctl!" 0', out.stderr)
        for unix, token in ((True, None), (False, ROOT_TOKEN)):
            status, hdrs, text = curl("POST", "/v1/hello/Greet", {"name": "bob"}, unix=unix,
                                      token=token)
            self.assertEqual(status, 200, text)
            self.assertEqual(hdrs["content-type"], "application/json")
            self.assertEqual(json.loads(text), {"text": "Howdy, bob!", "uid": 0})
        # the core's checks of a service's routes: arguments, 404, 405, 401
        status, _, text = curl("POST", "/v1/hello/Greet", {"name": 7})
        self.assertEqual(status, 400, text)
        self.assertIn("'name'", json.loads(text)["error"]["message"])
        self.assertEqual(curl("POST", "/v1/hello/Nothing", {})[0], 404)
        status, hdrs, _ = curl("GET", "/v1/hello/Greet")
        self.assertEqual((status, hdrs["allow"]), (405, "POST"))
        self.assertEqual(curl("POST", "/v1/hello/Greet", {"name": "x"}, unix=False)[0], 401)
        # it is not a service below /v1/plugins/hello/
        self.assertEqual(curl("POST", "/v1/plugins/hello/Greet", {"name": "bob"})[0], 404)

    def test_feature_signal(self):
        """A signal of the feature service comes from its object, with its interface."""
        got = []
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", FEATURE_IFACE, "Greeted", FEATURE_PATH, None,
            Gio.DBusSignalFlags.NONE,
            lambda conn, sender, path, iface, name, params: got.append(
                (path, iface, name, params.unpack())))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)
        curl("POST", "/v1/hello/Greet", {"name": "carol"})
        context = GLib.MainContext.default()
        self.assertTrue(wait_for(lambda: (context.iteration(False), got)[1], timeout=10))
        self.assertEqual(got, [(FEATURE_PATH, FEATURE_IFACE, "Greeted", ("carol",))])

    def test_aliases(self):
        # the path's {name} wins over the query's name=; the status is the plugin's
        for unix, token in ((True, None), (False, ROOT_TOKEN)):
            status, hdrs, text = curl("GET", "/hello/greetings/bob?name=alice&status=201&x=y",
                                      unix=unix, token=token)
            self.assertEqual(status, 201, text)
            self.assertEqual(hdrs["content-type"], "application/json")
            self.assertEqual(json.loads(text), {"text": "Howdy, bob!", "uid": 0, "params": {
                "name": "bob", "status": "201", "x": "y"}})
        # a route's tag comes as "route", over the query's
        status, _, text = curl("GET", "/hello/tagged/bob?route=other&x=1")
        self.assertEqual((status, json.loads(text)["params"]),
                         (200, {"name": "bob", "route": "tagged", "x": "1"}), text)
        # a capture is unescaped
        status, _, text = curl("GET", "/hello/greetings/b%C3%B6b")
        self.assertEqual((status, json.loads(text)["text"]), (200, "Howdy, b\u00f6b!"), text)
        # the body reaches the plugin as it came, whatever its type, and its answer the client
        body = '{"b":  [1,2 ,3],\n "a":"x"}\n'
        for content_type in ("application/json", "text/plain"):
            status, hdrs, text = curl("POST", "/hello/greetings/bob?status=202", raw_body=body,
                                      content_type=content_type)
            self.assertEqual((status, text), (202, body))
            self.assertEqual(hdrs["content-type"], "application/json")
        # a status out of 200-599 is the plugin's error; the plugin's own errors as the mirror's
        status, _, text = curl("GET", "/hello/greetings/bob?status=700")
        self.assertEqual(status, 500, text)
        self.assertIn("Echo answered with HTTP status 700", json.loads(text)["error"]["message"])
        status, _, text = curl("GET", "/hello/greetings/bob?status=many")
        self.assertEqual(status, 400, text)
        self.assertEqual(json.loads(text)["error"],
                         {"name": INVALID, "message": "status 'many' is not a number"})
        # a body the core takes only as text, and only as large as the mirror's
        out = subprocess.run(["curl", "-s", "-w", "\n%{http_code}", "--unix-socket", SOCKET,
                              "--data-binary", "@-", "http://localhost/hello/greetings/bob"],
                             input=b'{"x": "\xff"}', capture_output=True, check=True)
        text, _, status = out.stdout.decode().rpartition("\n")
        self.assertEqual(status, "400", text)
        self.assertEqual(json.loads(text)["error"]["message"], "The request body is not UTF-8 text")
        self.assertEqual(curl("POST", "/hello/greetings/bob", raw_body="x" * (1024 * 1024 + 1),
                              content_type="text/plain")[0], 413)
        # errors with DETAIL as FastAPI's, the core's too; without, as the mirror's
        status, hdrs, text = curl("GET", "/hello/tools/t1")
        self.assertEqual((status, json.loads(text)), (404, {"detail": "No tool t1"}))
        self.assertEqual(hdrs["content-type"], "application/json")
        status, _, text = curl("GET", "/hello/tools/t1", unix=False)
        self.assertEqual((status, json.loads(text)),
                         (401, {"detail": "A bearer token is required"}))
        status, _, text = curl("GET", "/v1/hello/tools/t1", unix=False, token=ROOT_TOKEN)
        self.assertEqual(status, 404, text)
        self.assertEqual(json.loads(text), {"error": {
            "name": "org.tender.Agent1.Error.NotFound", "message": "No tool t1"}})
        # the core's 404 and 405 around them
        self.assertEqual(curl("GET", "/hello/nothing")[0], 404)
        status, hdrs, _ = curl("DELETE", "/hello/greetings/bob")
        self.assertEqual((status, hdrs["allow"]), (405, "GET, POST"))

    def test_feature_objects(self):
        """A feature object below the feature service's, /org/tender/Agent1/hello/greeted/NAME:
        its properties read under their action, PropertiesChanged when one changes (names
        only), and gone once Forget takes it off."""
        path = FEATURE_PATH + "/greeted/dora"
        props_iface = "org.freedesktop.DBus.Properties"
        greeted_iface = "org.tender.Test.HelloGreeted"
        changed = []
        sub = self.tender.bus.signal_subscribe(
            "org.tender.Agent1", props_iface, "PropertiesChanged", path, None,
            Gio.DBusSignalFlags.NONE, lambda *a: changed.append(a[5].unpack()))
        self.addCleanup(self.tender.bus.signal_unsubscribe, sub)
        curl("POST", "/v1/hello/Greet", {"name": "dora"})
        nodes = run(["busctl", "tree", "--list", "org.tender.Agent1"]).stdout.split()
        self.assertIn(path, nodes)
        self.assertEqual(self.tender.call("GetAll", "s", greeted_iface, path=path,
                                          iface=props_iface)[0], {"Name": "dora", "Count": 1})
        curl("POST", "/v1/hello/Greet", {"name": "dora"})
        out = run(["busctl", "get-property", "org.tender.Agent1", path, greeted_iface,
                   "Count"])
        self.assertEqual(out.stdout.strip(), "u 2")
        context = GLib.MainContext.default()
        self.assertTrue(wait_for(lambda: (context.iteration(False), changed)[1], timeout=10))
        self.assertEqual(changed, [(greeted_iface, {}, ["Count"])])
        # reading needs the read action: a user polkit refuses is refused
        out = run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                   "busctl", "get-property", "org.tender.Agent1", path, greeted_iface,
                   "Count"], check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("not authorized", out.stderr.lower())
        # properties are read-only
        with self.assertRaises(DBusError):
            self.tender.call("Set", "ssv", greeted_iface, "Count", GLib.Variant("u", 9),
                             path=path, iface=props_iface)
        self.tender.call("Forget", "", path=path, iface=greeted_iface)
        nodes = run(["busctl", "tree", "--list", "org.tender.Agent1"]).stdout.split()
        self.assertNotIn(path, nodes)
        # and made anew by the next greeting
        curl("POST", "/v1/hello/Greet", {"name": "dora"})
        self.assertEqual(self.tender.call("Get", "ss", greeted_iface, "Count", path=path,
                                          iface=props_iface)[0], 1)

    def test_alias_root_and_bytes(self):
        """An alias on /v1/hello itself, next to /v1/hello/METHOD; an alias of bytes: any body
        up to its own limit, answered with the plugin's type and bytes as they are."""
        status, _, text = curl("GET", "/v1/hello?x=1")
        self.assertEqual((status, json.loads(text)["params"]), (200, {"route": "root", "x": "1"}),
                         text)
        self.assertEqual(curl("POST", "/v1/hello/Greet", {"name": "x"})[0], 200)
        status, hdrs, _ = curl("POST", "/v1/hello", {})
        self.assertEqual((status, hdrs["allow"]), (405, "GET"))
        blob = bytes(range(256)) * 2
        for ctype in ("application/octet-stream", "image/png"):
            out = subprocess.run(["curl", "-s", "-X", "PUT", "-o", "-", "-w",
                                  "\n%{http_code} %{content_type}", "--unix-socket", SOCKET,
                                  "-H", "Content-Type: application/x-anything",
                                  "--data-binary", "@-",
                                  f"http://localhost/hello/blobs/b?type={ctype}"],
                                 input=blob, capture_output=True, check=True)
            body, _, tail = out.stdout.rpartition(b"\n")
            self.assertEqual((tail.decode(), body), (f"200 {ctype}", blob))
        status, hdrs, text = curl("PUT", "/hello/blobs/b", raw_body="",
                                  content_type="text/plain")
        self.assertEqual((status, hdrs["content-type"], text), (400, "text/plain", "empty\n"))
        # over the alias's 1 KiB: 413, the mirror's error body
        status, _, text = curl("PUT", "/hello/blobs/b", raw_body="x" * 1025,
                               content_type="text/plain")
        self.assertEqual(status, 413, text)
        self.assertIn("larger than 1024 bytes", json.loads(text)["error"]["message"])

    def test_readme_example(self):
        """The example of README.md, "Services: methods declared once", of a feature service
        and its aliases: the table is hello's, and the commands answer as it shows (with the
        greeting of this tenderd.conf)."""
        def table(text):
            start = text.index("static const TenderPluginHttpAlias hello_aliases[] = {")
            return text[start:text.index("};", start)]
        with open(os.path.join(os.path.dirname(SOURCES), "..", "README.md")) as f:
            readme = f.read()
        with open(os.path.join(SOURCES, "hello.c")) as f:
            self.assertEqual(table(readme), table(f.read()))
        example = readme[readme.index(table(readme)):]
        example = example[example.index("```sh\n") + 6:]
        example = example[:example.index("```")]
        # "# COMMAND \" lines, then what it prints
        steps = []
        for line in example.splitlines():
            if line.startswith("# "):
                steps.append([line[2:], []])
            elif steps[-1][0].endswith("\\"):
                steps[-1][0] += "\n" + line
            else:
                steps[-1][1].append(line.replace("Hello,", "Howdy,"))
        self.assertEqual(len(steps), 4)
        for command, expected in steps:
            out = run(["bash", "-c", command])
            self.assertEqual(out.stdout.splitlines(), expected, command)

    def test_polkit_refuses_an_unprivileged_user(self):
        out = self.busctl("Greet", "s", "x", uid=NOBODY)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("not authorized", out.stderr.lower())
        for unix, token in ((True, None), (False, NOBODY_TOKEN)):
            status, _, text = curl("POST", "/v1/hello/Greet", {"name": "x"}, unix=unix,
                                   token=token, user=NOBODY)
            self.assertEqual(status, 403, text)
            self.assertEqual(json.loads(text)["error"]["name"], DENIED)
            status, _, text = curl("GET", "/hello/greetings/bob", unix=unix, token=token,
                                   user=NOBODY)
            self.assertEqual(status, 403, text)
            self.assertEqual(json.loads(text)["error"]["name"], DENIED)
            status, _, text = curl("GET", "/hello/tools/t1", unix=unix, token=token,
                                   user=NOBODY)
            self.assertEqual(status, 403, text)
            self.assertEqual(list(json.loads(text)), ["detail"])
        # root may
        self.assertEqual(curl("GET", "/hello/greetings/bob")[0], 200)


class DeferTest(PluginTestCase):
    def test_deferred_then_active(self):
        """A plugin whose probe defers is listed as deferred, with its reason, and probed again
        on its backoff timer until it is active; only then is it served."""
        probes = "/var/lib/tender/plugins/deferred/probes"
        if os.path.exists(probes):
            os.unlink(probes)
        restart_tenderd()
        self.tenderd_pid = tenderd_pid()
        version, status = self.plugins()["deferred"]
        self.assertEqual(version, "0.1")
        self.assertRegex(status, r"^deferred: its service is not up yet \(probe [12]\)$")
        out = subprocess.run([TENDERCTL, "plugins", "--json"], capture_output=True, text=True)
        listed = {p["Name"]: p["Status"] for p in json.loads(out.stdout)}
        self.assertTrue(listed["deferred"].startswith("deferred: its service is not up yet"),
                        listed)
        status, _, text = curl("GET", "/v1/plugins")
        listed = {p["name"]: p["status"] for p in json.loads(text)}
        self.assertTrue(listed["deferred"].startswith("deferred: its service is not up yet"),
                        listed)
        # what a deferred probe registered is not served: its paths are not there yet (503,
        # with the probe's reason), and other paths are still not there at all
        status, _, text = curl("GET", "/v1/plugins/deferred/status")
        self.assertEqual(status, 503, text)
        error = json.loads(text)["error"]
        self.assertEqual(error["name"], "org.tender.Agent1.Error.Unavailable", error)
        self.assertRegex(error["message"],
                         r"^Plugin deferred is not serving yet: its service is not up yet")
        self.assertEqual(curl("GET", "/v1/plugins/nosuchplugin/status")[0], 404)
        # so are the paths below the prefix it reserved for its aliases, as FastAPI answers
        for path in ("/deferred-paths/tool/1", "/deferred-paths"):
            status, _, text = curl("GET", path)
            self.assertEqual(status, 503, text)
            self.assertRegex(json.loads(text)["detail"],
                             r"^Plugin deferred is not serving yet: its service is not up yet")
        self.assertEqual(curl("GET", "/deferred-pathsX/1")[0], 404)
        # probed again after 1 s and 2 s: the third probe succeeds
        self.assertTrue(wait_for(lambda: self.plugins()["deferred"] == ("0.1", "active"),
                                 timeout=30), self.plugins()["deferred"])
        with open(probes) as f:
            self.assertEqual(f.read(), "3\n")
        status, _, text = curl("GET", "/v1/plugins/deferred/status")
        self.assertEqual((status, text), (200, "up\n"))
        # active, it has no alias there: 404
        self.assertEqual(curl("GET", "/deferred-paths/tool/1")[0], 404)
        self.assertIn("plugin deferred 0.1 loaded from", self.journal())


class ReadmeTest(PluginTestCase):
    def test_readme_example(self):
        """The plugin of README.md, "Writing a plugin", as it stands there, works."""
        def code(text):
            start = text.index("#include <tender-plugin.h>")
            end = text.index("TENDER_PLUGIN_DEFINE(\"greeter\"")
            return text[start:end]
        with open(os.path.join(os.path.dirname(SOURCES), "..", "README.md")) as f:
            readme = f.read()
        with open(os.path.join(SOURCES, "greeter.c")) as f:
            self.assertEqual(code(readme), code(f.read()))
        self.assertEqual(self.plugins()["greeter"], ("1.0", "active"))
        status, _, text = curl("GET", "/v1/plugins/greeter/greet")
        self.assertEqual((status, json.loads(text)), (200, "hello"))


class DisabledTest(PluginTestCase):
    def test_disabled_plugin(self):
        configure("disabled=hello;not-there\n")
        self.tenderd_pid = tenderd_pid()
        self.assertEqual(self.plugins()["hello"], ("1.0.0", "disabled"))
        self.assertEqual(curl("GET", "/v1/plugins/hello/greet/bob")[0], 404)
        with self.assertRaises(DBusError) as ctx:
            self.hello("Greet", "s", "x")
        self.assertIn(ctx.exception.name, UNKNOWN)
        self.assertIn("plugin hello", self.journal())
        self.assertIn("is disabled in tenderd.conf", self.journal())


if __name__ == "__main__":
    unittest.main()
