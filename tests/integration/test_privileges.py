#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Users and capabilities: the spec's user, group and capabilities as the kernel holds them in
/proc/PID/status, the pre_start hooks (as root, in the scope, failing the start with their
stderr), the post_stop hooks (as root, in the scope, once the command has ended, however it
ended), and tenderctl's --user, --group, --cap, --pre-start and --post-stop."""

import grp
import json
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tenderlab import GLib, TenderTestCase, proc_cgroup, run, wait_for  # noqa: E402
from test_tenderctl import TenderctlTest, tenderctl  # noqa: E402

NOBODY = 65534
CAP_NET_BIND_SERVICE = 10
NOGROUP = grp.getgrgid(NOBODY).gr_name


def status(pid):
    """/proc/PID/status as a dict of its fields' text."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def caps(st, name):
    return int(st[name], 16)


def privileges(user=None, group=None, capabilities=None, pre_start=None, post_stop=None):
    """The spec keys of this feature as variants (tenderlab's spec types do not have them)."""
    out = {}
    if user is not None:
        out["user"] = GLib.Variant("s", user)
    if group is not None:
        out["group"] = GLib.Variant("s", group)
    if capabilities is not None:
        out["capabilities"] = GLib.Variant("as", capabilities)
    if pre_start is not None:
        out["pre_start"] = GLib.Variant("aas", pre_start)
    if post_stop is not None:
        out["post_stop"] = GLib.Variant("aas", post_stop)
    return out


# a post_stop hook that writes who runs it and how the command ended, then its cgroups
POST_STOP_RECORD = ('echo "$(id -u) $TENDER_EXIT_CODE $TENDER_EXIT_STATUS${FOO:+ $FOO}" > OUT; '
                    'cat /proc/self/cgroup > OUT.cgroup')


def journal(name):
    """The workload's lines in the journal, in order, as tenderctl logs shows them."""
    r = tenderctl("--json", "logs", name, "-n", "1000")
    return [json.loads(line)["message"] for line in r.stdout.splitlines()]


class PrivilegesTest(TenderTestCase):
    def start_sleeper(self, name, **keys):
        self.tender.create(self.workload(name), argv=["sleep", "300"], **privileges(**keys))
        self.tender.start(name)
        p = self.tender.wait_state(name, "running")
        self.assertGreater(p["MainPID"], 0)
        return p["MainPID"]

    def assertNoCapabilities(self, st):
        for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertEqual(caps(st, key), 0, f"{key} is {st[key]}")

    def test_user_nobody(self):
        st = status(self.start_sleeper("priv-nobody", user="nobody"))
        self.assertEqual(st["Uid"].split(), [str(NOBODY)] * 4)
        self.assertEqual(st["Gid"].split(), [str(NOBODY)] * 4)
        self.assertIn(st["Groups"].split(), ([], [str(NOBODY)]))
        self.assertNoCapabilities(st)
        self.assertEqual(st["NoNewPrivs"], "1")

    def test_user_by_id_and_group_by_name(self):
        st = status(self.start_sleeper("priv-ids", user=str(NOBODY), group="daemon"))
        daemon = grp.getgrnam("daemon").gr_gid
        self.assertEqual(st["Uid"].split()[0], str(NOBODY))
        self.assertEqual(st["Gid"].split(), [str(daemon)] * 4)
        self.assertIn(st["Groups"].split(), ([], [str(daemon)]))
        self.assertNoCapabilities(st)

    def test_group_by_id(self):
        st = status(self.start_sleeper("priv-gid", user="nobody", group="1"))
        self.assertEqual(st["Gid"].split(), ["1"] * 4)

    def test_environment_of_the_user(self):
        name = self.workload("priv-env")
        out = self.tmpfile("priv-env.out")
        open(out, "w").close()
        os.chmod(out, 0o666)
        self.tender.create(name, argv=["sh", "-c", f"env > {out}"],
                           env=["SHELL=/bin/custom"], **privileges(user="nobody"))
        self.tender.start(name)
        self.tender.wait_state(name, "exited")
        with open(out) as f:
            env = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
        self.assertEqual(env["USER"], "nobody")
        self.assertEqual(env["LOGNAME"], "nobody")
        self.assertEqual(env["HOME"], os.path.expanduser("~nobody"))
        # the spec's env wins
        self.assertEqual(env["SHELL"], "/bin/custom")

    def test_default_is_root_with_every_capability(self):
        st = status(self.start_sleeper("priv-root"))
        self.assertEqual(st["Uid"].split()[0], "0")
        self.assertNotEqual(caps(st, "CapEff"), 0)
        self.assertNotEqual(caps(st, "CapBnd"), 0)
        self.assertEqual(st["NoNewPrivs"], "0")

    def test_capabilities_without_user(self):
        st = status(self.start_sleeper("priv-rootcaps", capabilities=["net_bind_service"]))
        self.assertEqual(st["Uid"].split()[0], "0")
        self.assertEqual(caps(st, "CapEff"), 1 << CAP_NET_BIND_SERVICE)
        self.assertEqual(caps(st, "CapBnd"), 1 << CAP_NET_BIND_SERVICE)
        self.assertEqual(st["NoNewPrivs"], "1")

    def test_keep_net_bind_service(self):
        st = status(self.start_sleeper("priv-caps", user="nobody",
                                       capabilities=["CAP_NET_BIND_SERVICE"]))
        bit = 1 << CAP_NET_BIND_SERVICE
        self.assertEqual(st["Uid"].split()[0], str(NOBODY))
        for key in ("CapAmb", "CapEff", "CapPrm", "CapBnd"):
            self.assertEqual(caps(st, key), bit, f"{key} is {st[key]}")
        self.assertEqual(st["NoNewPrivs"], "1")

    def test_bind_port_80(self):
        name = self.workload("priv-bind")
        out = self.tmpfile("priv-bind.out")
        script = ("import os, socket\n"
                  "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                  "s.bind(('127.0.0.1', 80))\n"
                  f"open({out!r}, 'w').write(str(os.getuid()))\n")
        self.tender.create(name, argv=["python3", "-c", script], working_directory="/tmp",
                           **privileges(user="nobody", capabilities=["CAP_NET_BIND_SERVICE"]))
        self.tender.start(name)
        p = self.tender.wait_state(name, ("exited", "failed"))
        self.assertEqual(p["Reason"], "exit-code: 0")
        with open(out) as f:
            self.assertEqual(f.read(), str(NOBODY))

    def test_bind_port_80_refused_without_capability(self):
        name = self.workload("priv-nobind")
        script = "import socket; socket.socket().bind(('127.0.0.1', 80))"
        self.tender.create(name, argv=["python3", "-c", script], **privileges(user="nobody"))
        self.tender.start(name)
        p = self.tender.wait_state(name, ("exited", "failed"))
        self.assertEqual(p["Reason"], "exit-code: 1")

    def test_unknown_user_group_capability(self):
        cases = [
            (privileges(user="no-such-user-here"), "'user'"),
            (privileges(user="4000000"), "'user'"),
            (privileges(user="nobody", group="no-such-group"), "'group'"),
            (privileges(user="nobody", group="4000000"), "'group'"),
            (privileges(user="bad name"), "'user'"),
            (privileges(user=""), "'user'"),
            (privileges(capabilities=["CAP_NO_SUCH_THING"]), "'capabilities'"),
            (privileges(pre_start=[[]]), "'pre_start'"),
            (privileges(pre_start=[["true"]] * 17), "'pre_start'"),
            ({"user": GLib.Variant("u", 65534)}, "'user'"),
        ]
        for i, (keys, fragment) in enumerate(cases):
            spec = {"argv": GLib.Variant("as", ["true"]), **keys}
            with self.subTest(keys=keys):
                err = self.assertDBusError("InvalidArgument", self.tender.create_raw,
                                           self.workload(f"priv-bad{i}"), spec)
                self.assertIn(fragment, err.message)
        self.assertNotIn("priv-bad0", [w[0] for w in self.tender.list()])

    def test_pre_start_runs_as_root_and_workload_does_not(self):
        name = self.workload("priv-hook")
        hook_file = self.tmpfile("priv-hook.root")
        own_file = self.tmpfile("priv-hook.own")
        cgroup_file = self.tmpfile("priv-hook.cgroup")
        env_file = self.tmpfile("priv-hook.env")
        os.chmod("/tmp", 0o1777)
        self.tender.create(name, argv=["sh", "-c", f"echo x > {own_file}; exec sleep 300"],
                           env=["FOO=bar"], working_directory="/tmp",
                           **privileges(user="nobody", pre_start=[
                               ["sh", "-c", f"id -u > {hook_file}"],
                               ["sh", "-c", f"cat /proc/self/cgroup > {cgroup_file}"],
                               ["sh", "-c", f'echo "$FOO $(pwd)" > {env_file}']]))
        self.tender.start(name)
        p = self.tender.wait_state(name, "running")
        self.assertEqual(os.stat(hook_file).st_uid, 0)
        with open(hook_file) as f:
            self.assertEqual(f.read().strip(), "0")
        self.assertTrue(wait_for(lambda: os.path.exists(own_file)))
        self.assertEqual(os.stat(own_file).st_uid, NOBODY)
        # the hooks ran in the workload's scope, in every hierarchy, as its command does
        with open(cgroup_file) as f:
            hook_cgroups = f.read()
        with open(f"/proc/{p['MainPID']}/cgroup") as f:
            self.assertEqual(hook_cgroups, f.read())
        self.assertEqual(proc_cgroup(p["MainPID"]), f"/tender.slice/tender-{name}.scope")
        # with the workload's environment and working directory
        with open(env_file) as f:
            self.assertEqual(f.read(), "bar /tmp\n")

    def test_failing_pre_start(self):
        name = self.workload("priv-hookfail")
        ran = self.tmpfile("priv-hookfail.ran")
        self.tender.create(name, argv=["sh", "-c", f": > {ran}"], **privileges(pre_start=[
            ["true"],
            ["sh", "-c", "echo 'first line' >&2; echo 'cannot set up qdisc' >&2; exit 3"],
            ["sh", "-c", f": > {ran}"]]))
        err = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn("pre_start: sh exited with status 3", err.message)
        self.assertIn("cannot set up qdisc", err.message)
        p = self.tender.wait_state(name, "failed")
        self.assertTrue(p["Reason"].startswith("pre_start: sh exited with status 3: "), p)
        self.assertIn("first line cannot set up qdisc", p["Reason"])
        self.assertNotIn("\n", p["Reason"])
        self.assertFalse(os.path.exists(ran), "the command (or a later hook) ran")
        # the hook's output went to the journal like the command's
        self.assertTrue(wait_for(lambda: "cannot set up qdisc" in run(
            ["journalctl", "--no-pager", "-o", "cat", f"TENDER_WORKLOAD={name}"]).stdout))

    def test_pre_start_not_found(self):
        name = self.workload("priv-hook404")
        self.tender.create(name, argv=["true"],
                           **privileges(pre_start=[["/no/such/hook"]]))
        err = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn("pre_start: hook could not be executed", err.message)
        reason = self.tender.wait_state(name, "failed")["Reason"]
        self.assertEqual(reason,
                         "pre_start: hook could not be executed: No such file or directory")
        self.assertIn(reason, err.message)

    def test_user_removed_after_create(self):
        name = self.workload("priv-gone")
        run(["useradd", "--system", "--no-create-home", "tender-gone"])
        self.addCleanup(lambda: run(["userdel", "tender-gone"], check=False))
        self.tender.create(name, argv=["sleep", "300"], **privileges(user="tender-gone"))
        run(["userdel", "tender-gone"])
        err = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn("no user 'tender-gone'", err.message)
        self.assertEqual(self.tender.wait_state(name, "failed")["Reason"],
                         "Spec key 'user': no user 'tender-gone' exists")

    def test_export_keeps_the_keys(self):
        name = self.workload("priv-export")
        self.tender.create(name, argv=["true"], **privileges(
            user="nobody", group=NOGROUP, capabilities=["net_bind_service"],
            pre_start=[["echo", "a b"], ["true"]]))
        spec = json.loads(self.tender.export(name))["spec"]
        self.assertEqual(spec["user"], "nobody")
        self.assertEqual(spec["group"], NOGROUP)
        self.assertEqual(spec["capabilities"], ["CAP_NET_BIND_SERVICE"])
        self.assertEqual(spec["pre_start"], [["echo", "a b"], ["true"]])

    def test_health_check_as_the_user(self):
        name = self.workload("priv-health")
        out = self.tmpfile("priv-health.out")
        open(out, "w").close()
        os.chmod(out, 0o666)
        health = {"command": GLib.Variant("as", ["sh", "-c", f"grep -E '^(Uid|CapEff)' "
                                                 f"/proc/self/status > {out}"]),
                  "interval_sec": GLib.Variant("u", 1)}
        self.tender.create(name, argv=["sleep", "300"], health=GLib.Variant("a{sv}", health),
                           **privileges(user="nobody"))
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: os.path.getsize(out) > 0, timeout=20))
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Health") == "healthy",
                                 timeout=20))
        with open(out) as f:
            st = dict(line.split(":", 1) for line in f.read().splitlines())
        self.assertEqual(st["Uid"].split()[0], str(NOBODY))
        self.assertEqual(int(st["CapEff"], 16), 0)

    # ---- post_stop ----

    def post_stop_recorder(self, name):
        """A post_stop hook of POST_STOP_RECORD, and the file it writes."""
        out = self.tmpfile(f"{name}.post")
        self.tmpfile(f"{name}.post.cgroup")
        return out, ["sh", "-c", POST_STOP_RECORD.replace("OUT", out)]

    def assertRecorded(self, name, out, text, cgroups=None):
        """The hook ran as root, in the workload's scope, and wrote @text."""
        with open(out) as f:
            self.assertEqual(f.read(), text)
        self.assertEqual(os.stat(out).st_uid, 0)
        with open(f"{out}.cgroup") as f:
            hook_cgroups = f.read()
        if cgroups is not None:
            self.assertEqual(hook_cgroups, cgroups)
        self.assertIn(f":/tender.slice/tender-{name}.scope\n", hook_cgroups)

    def test_post_stop_after_a_stop(self):
        name = self.workload("priv-post")
        out, hook = self.post_stop_recorder(name)
        self.tender.create(name, argv=["sleep", "300"], env=["FOO=bar"],
                           **privileges(user="nobody", post_stop=[hook]))
        self.tender.start(name)
        p = self.tender.wait_state(name, "running")
        with open(f"/proc/{p['MainPID']}/cgroup") as f:
            cgroups = f.read()
        self.assertFalse(os.path.exists(out))
        self.tender.stop(name)
        # StopWorkload returns once the hooks have run: as root, in the scope, with the
        # workload's environment and how the command ended
        self.assertRecorded(name, out, "0 killed 15 bar\n", cgroups)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"], p["ExitCode"], p["ExitSignal"]),
                         ("stopped", "", -1, signal.SIGTERM))
        # nothing of the hook is left: the next start gets a scope of its own
        os.unlink(out)
        self.tender.start(name)
        self.tender.wait_state(name, "running")
        self.tender.stop(name)
        self.assertRecorded(name, out, "0 killed 15 bar\n")

    def test_post_stop_after_an_exit(self):
        name = self.workload("priv-postexit")
        out, hook = self.post_stop_recorder(name)
        self.tender.create(name, argv=["sh", "-c", "exit 3"],
                           **privileges(user="nobody", post_stop=[hook]))
        self.tender.start(name)
        p = self.tender.wait_state(name, ("exited", "failed"))
        self.assertEqual((p["State"], p["Reason"], p["ExitCode"]), ("exited", "exit-code: 3", 3))
        self.assertRecorded(name, out, "0 exited 3\n")

    def test_post_stop_after_a_kill(self):
        name = self.workload("priv-postkill")
        out, hook = self.post_stop_recorder(name)
        self.tender.create(name, argv=["sleep", "300"],
                           **privileges(user="nobody", post_stop=[hook]))
        self.tender.start(name)
        self.tender.wait_state(name, "running")
        self.tender.kill(name, signal.SIGKILL)
        p = self.tender.wait_state(name, "failed")
        self.assertEqual((p["Reason"], p["ExitSignal"]), ("signal: KILL", signal.SIGKILL))
        self.assertRecorded(name, out, "0 killed 9\n")

    def test_post_stop_after_a_failed_pre_start(self):
        name = self.workload("priv-postpre")
        out, hook = self.post_stop_recorder(name)
        ran = self.tmpfile(f"{name}.ran")
        self.tender.create(name, argv=["sh", "-c", f": > {ran}"], **privileges(
            user="nobody", pre_start=[["sh", "-c", "echo half set up >&2; exit 3"]],
            post_stop=[hook]))
        err = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn("pre_start: sh exited with status 3: half set up", err.message)
        # the start failed once the clean-up had run
        self.assertRecorded(name, out, "0 pre-start-failed 3\n")
        self.assertFalse(os.path.exists(ran))
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"]),
                         ("failed", "pre_start: sh exited with status 3: half set up"))

    def test_post_stop_after_a_failed_exec(self):
        name = self.workload("priv-postexec")
        out, hook = self.post_stop_recorder(name)
        self.tender.create(name, argv=["/no/such/command"],
                           **privileges(user="nobody", post_stop=[hook]))
        err = self.assertDBusError("Failed", self.tender.start, name)
        self.assertIn("No such file or directory", err.message)
        self.assertRecorded(name, out, "0 exec-failed 127\n")
        self.assertEqual(self.tender.prop(name, "Reason"), "exec: No such file or directory")

    def test_failing_post_stop_hooks_are_logged(self):
        name = self.workload("priv-postfail")
        ran = self.tmpfile(f"{name}.ran")
        self.tender.create(name, argv=["sh", "-c", "echo done"], **privileges(post_stop=[
            ["sh", "-c", "echo 'first line' >&2; echo 'cannot remove qdisc' >&2; exit 4"],
            ["/no/such/hook"],
            ["sh", "-c", f"echo cleaned up; : > {ran}"]]))
        self.tender.start(name)
        p = self.tender.wait_state(name, ("exited", "failed"))
        # the run's result is the command's; every hook ran
        self.assertEqual((p["State"], p["Reason"], p["ExitCode"], p["ExitSignal"]),
                         ("exited", "exit-code: 0", 0, 0))
        self.assertTrue(os.path.exists(ran))
        expected = ["post_stop: sh exited with status 4: first line cannot remove qdisc",
                    "post_stop: hook could not be executed: No such file or directory",
                    "cleaned up"]
        self.assertTrue(wait_for(lambda: all(line in journal(name) for line in expected)),
                        journal(name))
        lines = journal(name)
        self.assertEqual([line for line in lines if line in expected], expected)
        self.assertEqual(lines[0], "done")

    def test_hanging_post_stop_hook_ends_with_the_stop(self):
        """The stop's timeout covers the post_stop hooks: the one that runs then is killed,
        the others are not run."""
        name = self.workload("priv-posthang")
        later = self.tmpfile(f"{name}.later")
        self.tender.create(name, argv=["sleep", "300"], **privileges(post_stop=[
            ["sleep", "300"], ["sh", "-c", f": > {later}"]]))
        self.tender.start(name)
        self.tender.wait_state(name, "running")
        t0 = time.monotonic()
        self.tender.stop(name, timeout_sec=2)
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 1.5)
        self.assertLess(elapsed, 8)
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"], p["ExitSignal"]),
                         ("stopped", "stop-timeout", signal.SIGTERM))
        self.assertFalse(os.path.exists(later))
        expected = ["post_stop: sleep did not finish before the stop's timeout: killed",
                    "post_stop: sh not run: the stop's timeout has passed"]
        self.assertTrue(wait_for(lambda: all(line in journal(name) for line in expected)),
                        journal(name))

    def test_hanging_post_stop_hook_after_a_sigkill(self):
        """A command that needs the stop's SIGKILL leaves its post_stop hooks the stop's
        timeout once more: the stop takes at most twice its timeout."""
        name = self.workload("priv-posthang2")
        ready = self.tmpfile(f"{name}.ready")
        out, hook = self.post_stop_recorder(name)
        self.tender.create(name, argv=["sh", "-c", f"trap '' TERM; : > {ready}; "
                                       "while :; do sleep 0.1 || :; done"],
                           **privileges(post_stop=[hook, ["sleep", "300"]]))
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: os.path.exists(ready)))
        t0 = time.monotonic()
        self.tender.stop(name, timeout_sec=2)
        elapsed = time.monotonic() - t0
        self.assertGreaterEqual(elapsed, 3.5)
        self.assertLess(elapsed, 12)
        self.assertRecorded(name, out, "0 killed 9\n")
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"], p["ExitSignal"]),
                         ("stopped", "stop-timeout", signal.SIGKILL))
        self.assertTrue(wait_for(lambda: "post_stop: sleep did not finish before the stop's "
                                 "timeout: killed" in journal(name)), journal(name))

    def test_restarts_run_the_hooks_of_each_run(self):
        name = self.workload("priv-postrestart")
        log = self.tmpfile(f"{name}.log")
        self.tender.create(name, argv=["sh", "-c", f"echo command >> {log}; exit 1"],
                           restart="on-failure", restart_max=2, restart_delay_ms=50,
                           **privileges(pre_start=[["sh", "-c", f"echo pre >> {log}"]],
                                        post_stop=[["sh", "-c", 'echo "post $TENDER_EXIT_CODE '
                                                    f'$TENDER_EXIT_STATUS" >> {log}']]))
        self.tender.start(name)
        self.assertTrue(wait_for(lambda: self.tender.prop(name, "Reason") == "restart-limit",
                                 timeout=30))
        with open(log) as f:
            self.assertEqual(f.read(), "pre\ncommand\npost exited 1\n" * 3)

    def test_post_stop_invalid(self):
        cases = [([[]], "'post_stop' has an empty command"),
                 ([["true"]] * 17, "'post_stop' has 17 commands; at most 16 are allowed"),
                 ([["x"] * 1025], "'post_stop' has a command of 1025 elements")]
        for i, (hooks, fragment) in enumerate(cases):
            spec = {"argv": GLib.Variant("as", ["true"]), **privileges(post_stop=hooks)}
            with self.subTest(fragment=fragment):
                err = self.assertDBusError("InvalidArgument", self.tender.create_raw,
                                           self.workload(f"priv-postbad{i}"), spec)
                self.assertIn(fragment, err.message)
        spec = {"argv": GLib.Variant("as", ["true"]),
                "post_stop": GLib.Variant("as", ["true"])}
        err = self.assertDBusError("InvalidArgument", self.tender.create_raw,
                                   self.workload("priv-postbad-type"), spec)
        self.assertIn("'post_stop' must be of type 'aas'", err.message)


class PrivilegesTenderctlTest(TenderctlTest):
    def test_user_group_cap_pre_start(self):
        name = self.workload("priv-ctl")
        hook_file = self.tmpfile("priv-ctl.hook")
        self.assertOk(tenderctl("create", name, "--user", "nobody", "--group", NOGROUP,
                                "--cap", "net_bind_service", "--cap", "CAP_NET_RAW",
                                "--pre-start", f"id -u > {hook_file}", "--", "sleep", "300"))
        self.assertOk(tenderctl("start", name))
        p = self.tender.wait_state(name, "running")
        st = status(p["MainPID"])
        self.assertEqual(st["Uid"].split()[0], str(NOBODY))
        self.assertEqual(caps(st, "CapAmb"), (1 << CAP_NET_BIND_SERVICE) | (1 << 13))
        with open(hook_file) as f:
            self.assertEqual(f.read().strip(), "0")
        spec = json.loads(self.tender.export(name))["spec"]
        self.assertEqual(spec["pre_start"], [["sh", "-c", f"id -u > {hook_file}"]])

    def test_failing_pre_start(self):
        name = self.workload("priv-ctlfail")
        self.assertOk(tenderctl("create", name, "--pre-start", "echo broken >&2; exit 4",
                                "--", "true"))
        result = tenderctl("start", name)
        self.assertPlainError(result, "pre_start: sh exited with status 4: broken")

    def test_post_stop(self):
        name = self.workload("priv-ctlpost")
        hook_file = self.tmpfile("priv-ctlpost.hook")
        command = f'echo "$(id -u) $TENDER_EXIT_CODE $TENDER_EXIT_STATUS" > {hook_file}'
        self.assertOk(tenderctl("run", name, "--user", "nobody", "--post-stop", command,
                                "--post-stop", "echo broken >&2; exit 5", "--", "sleep", "300"))
        self.tender.wait_state(name, "running")
        spec = json.loads(self.tender.export(name))["spec"]
        self.assertEqual(spec["post_stop"], [["sh", "-c", command],
                                             ["sh", "-c", "echo broken >&2; exit 5"]])
        r = tenderctl("inspect", name)
        self.assertOk(r)
        self.assertRegex(r.stdout, r"(?m)^ +post_stop +\[\['sh', '-c', ")
        self.assertOk(tenderctl("stop", name))
        with open(hook_file) as f:
            self.assertEqual(f.read(), "0 killed 15\n")
        self.assertTrue(wait_for(lambda: "post_stop: sh exited with status 5: broken"
                                 in tenderctl("logs", name).stderr))
        r = tenderctl("create", "--help")
        self.assertRegex(r.stdout, r"(?m)^  --post-stop=CMD +Commands run as root, one after "
                         r"the other, once the command has ended; CMD runs as sh -c CMD "
                         r"\(repeatable\)$")

    def test_unknown_user(self):
        result = tenderctl("create", self.workload("priv-ctlbad"), "--user", "no-such-user",
                           "--", "true")
        self.assertPlainError(result, "no-such-user")


if __name__ == "__main__":
    unittest.main()
