#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The isolation levels: what a workload sees from inside at minimal, standard and strict
(PID 1 and its PID namespace, hostname, root filesystem, volumes, network, rlimits,
capabilities, no_new_privs, seccomp, masked /proc, init), that nothing is ever mounted on the
host, and that limits, OOM reasons and re-adoption after a kill -9 of tenderd still hold.

The root filesystems are busybox trees from tests/integration/images.py: as `rootfs`, and
imported into the image store (a tmpfs here, as are the container directories: the lab's root
is an overlay, which cannot hold an overlay's upper layer), and the read-only view of the
host's / that standard and strict give without either."""

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
from tenderlab import GLib, TenderTestCase, run, tenderd_pid, wait_for  # noqa: E402

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TENDERCTL = os.environ.get("TENDERCTL", "tenderctl")
ROOTFS = "/var/tmp/tender-test-busybox"
EROFS = os.strerror(errno.EROFS)
EPERM = os.strerror(errno.EPERM)
END = "--end--"
STATE = "/var/lib/tender"
ISOLATION_TYPES = {
    "isolation": "s",
    "image": "s",
    "rootfs": "s",
    "volumes": "a(ssb)",
    "network": "s",
    "hostname": "s",
    "rlimits": "a{st}",
    "read_only_rootfs": "b",
    "init": "b",
    "capabilities": "as",
    "user": "s",
}


def rootfs(path):
    """images.busybox_rootfs() at @path, made once."""
    if not os.path.exists(os.path.join(path, "bin", "busybox")):
        tmp = path + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        images.busybox_rootfs(tmp)
        os.rename(tmp, path)
    return path


def mountinfo():
    """The host's mount table, without the mount ids and device numbers (which change)."""
    with open("/proc/self/mountinfo") as f:
        return sorted(" ".join(line.split()[3:]) for line in f)


class IsolationCase(TenderTestCase):
    def setUp(self):
        super().setUp()
        self.rootfs = rootfs(ROOTFS)
        self.mounts = mountinfo()

    def tearDown(self):
        super().tearDown()
        # whatever ran, nothing of it was ever mounted on the host
        self.assertEqual(mountinfo(), self.mounts)

    def create(self, name, argv, **spec):
        values = {k: GLib.Variant(ISOLATION_TYPES[k], v) for k, v in spec.items()
                  if k in ISOLATION_TYPES}
        values.update({k: v for k, v in spec.items() if k not in ISOLATION_TYPES})
        return self.tender.create(self.workload(name), argv=argv, **values)

    def sh(self, name, script, end=True, **spec):
        """Runs @script with /bin/sh (busybox's in the rootfs, the host's in its view) until
        it ends; returns its properties and its output (stderr into stdout, in order).  The
        output ends with a line END, which the script says itself unless @end."""
        tail = f"; echo {END}" if end else ""
        self.create(name, ["/bin/sh", "-c", f"exec 2>&1; {script}{tail}"], **spec)
        return self.start_and_wait(name)

    def start_and_wait(self, name, run=1):
        """Starts @name, for its @run-th run that prints END; returns its properties and the
        output of that run."""
        self.tender.start(name)
        p = self.tender.wait_state(name, ("exited", "failed"), timeout=30)
        return p, self.output(name, run)

    def output(self, name, run=1):
        """The lines of @name's @run-th run that says END at its end (the journal keeps every
        run's, and those of a removed workload of the same name)."""
        lines = []

        def complete():
            entries = self.tender.call("GetLogs", "sa{sv}", name,
                                       {"lines": GLib.Variant("u", 1000)})[0]
            lines[:] = [e["message"] for e in entries]
            return lines.count(END) >= run
        self.assertTrue(wait_for(complete, timeout=15), f"{name}: {lines}")
        ends = [i for i, line in enumerate(lines) if line == END]
        return lines[ends[run - 2] + 1 if run > 1 else 0:ends[run - 1]]

    def assertExited(self, p, code=0):
        self.assertEqual((p["State"], p["ExitCode"]), ("exited", code), p)


class IsolationLevelTest(IsolationCase):
    """Every cell of the README's level table, from inside."""

    def test_pid_namespace(self):
        # with init: the command is PID 2, init is PID 1, and /proc shows nothing else
        p, out = self.sh("iso-pid", "echo pid=$$; cat /proc/1/comm; ls /proc | grep -E '^[0-9]+$'",
                         isolation="standard", rootfs=self.rootfs)
        self.assertExited(p)
        self.assertEqual(out[0], "pid=2")
        self.assertEqual(out[1], "tender-init")
        self.assertLessEqual(set(out[2:]), {"1", "2", "3", "4", "5", "6", "7", "8"})
        # without: the command itself is PID 1
        p, out = self.sh("iso-pid1", "echo pid=$$", isolation="standard", rootfs=self.rootfs,
                         init=False)
        self.assertEqual(out, ["pid=1"])
        # minimal has no PID namespace
        p, out = self.sh("iso-pid-min", "echo pid=$$", isolation="minimal")
        self.assertNotIn(out[0], ("pid=1", "pid=2"))

    def test_main_pid_is_the_command(self):
        name = "iso-mainpid"
        self.create(name, ["/bin/sleep", "300"], isolation="strict", rootfs=self.rootfs)
        self.tender.start(name)
        pid = self.tender.prop(name, "MainPID")
        # the host's PID of the command (not of init): PID 2 inside
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            self.assertEqual(f.read(), b"/bin/sleep\x00300\x00")
        with open(f"/proc/{pid}/status") as f:
            nspid = re.search(r"^NSpid:\s+(.*)$", f.read(), re.M).group(1).split()
        self.assertEqual(nspid, [str(pid), "2"])
        self.tender.stop(name, timeout_sec=5)
        p = self.tender.wait_state(name, "stopped")
        self.assertEqual(p["ExitSignal"], signal.SIGTERM)

    def test_hostname(self):
        host = run(["hostname"]).stdout.strip()
        p, out = self.sh("iso-host", "hostname; cat /etc/hostname", isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual(out, ["iso-host", "iso-host"])
        p, out = self.sh("iso-host2", "hostname; grep -c box /etc/hosts", isolation="strict",
                         hostname="box")
        self.assertEqual(out, ["box", "1"])
        self.assertEqual(run(["hostname"]).stdout.strip(), host)

    def test_host_files_invisible(self):
        marker = "/etc/tender-test-marker"
        tmp_marker = self.tmpfile("iso-marker")
        for path in (marker, tmp_marker):
            with open(path, "w") as f:
                f.write("host\n")
        self.addCleanup(os.unlink, marker)
        # a root of its own: none of the host's files
        p, out = self.sh("iso-files", f"ls {marker} {tmp_marker} 2>&1", isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual(len(out), 2)
        self.assertTrue(all("No such file" in line for line in out), out)
        # the host's view: read-only, with fresh /tmp, /var/tmp, /run, /home, /root
        p, out = self.sh("iso-view", f"cat {marker}; for d in /tmp /var/tmp /root /home; do "
                         "ls -A $d 2>/dev/null; done | wc -l; touch /etc/x; ls /dev",
                         isolation="standard")
        self.assertEqual(out[0], "host")
        self.assertEqual(out[1].strip(), "0")
        self.assertIn(EROFS, out[2])
        # a minimal /dev
        self.assertEqual(sorted(out[3:]), ["fd", "full", "null", "ptmx", "pts", "random",
                                           "shm", "stderr", "stdin", "stdout", "tty",
                                           "urandom", "zero"])
        self.assertFalse(os.path.exists("/etc/x"))

    def test_read_only_root(self):
        script = "touch /new && echo wrote; touch /tmp/t && echo tmp; touch /sys/x"
        self.addCleanup(lambda: os.path.exists(os.path.join(self.rootfs, "tmp", "t")) and
                        os.unlink(os.path.join(self.rootfs, "tmp", "t")))
        # strict: read-only, but for /tmp
        p, out = self.sh("iso-ro", script, isolation="strict", rootfs=self.rootfs)
        self.assertIn(EROFS, out[0])
        self.assertEqual(out[1], "tmp")
        self.assertIn(EROFS, out[2])
        # standard with read_only_rootfs
        p, out = self.sh("iso-ro2", script, isolation="standard", rootfs=self.rootfs,
                         read_only_rootfs=True)
        self.assertIn(EROFS, out[0])
        self.assertEqual(out[1], "tmp")
        self.assertFalse(os.path.exists(os.path.join(self.rootfs, "new")))
        # standard: writable; with rootfs the writes go to the host's directory
        new = os.path.join(self.rootfs, "new")
        self.addCleanup(lambda: os.path.exists(new) and os.unlink(new))
        p, out = self.sh("iso-rw", script, isolation="standard", rootfs=self.rootfs)
        self.assertEqual(out[:2], ["wrote", "tmp"])
        self.assertTrue(os.path.exists(new))

    def test_volumes(self):
        ro = self.tmpfile("iso-vol-ro")
        rw = os.path.join("/var/tmp", "tender-test-vol-rw")
        shutil.rmtree(rw, ignore_errors=True)
        os.makedirs(rw)
        self.addCleanup(shutil.rmtree, rw, True)
        with open(ro, "w") as f:
            f.write("from the host\n")
        for made in ("in", "out", "deep"):
            self.addCleanup(shutil.rmtree, os.path.join(self.rootfs, made), True)
        p, out = self.sh("iso-vol", "cat /in/file; echo x >> /in/file; "
                         "echo from-inside > /out/made; ls -d /deep/new/dir",
                         isolation="strict", rootfs=self.rootfs,
                         volumes=[(ro, "/in/file", True), (rw, "/out", False),
                                  (rw, "/deep/new/dir", False)])
        self.assertExited(p)
        self.assertEqual(out[0], "from the host")
        self.assertIn(EROFS, out[1])
        with open(os.path.join(rw, "made")) as f:
            self.assertEqual(f.read(), "from-inside\n")
        # a missing destination is made, in the root
        self.assertEqual(out[2], "/deep/new/dir")
        self.assertTrue(os.path.isdir(os.path.join(self.rootfs, "deep", "new", "dir")))

    def test_network_none(self):
        # an interface on the host that the workload must not see
        run(["ip", "link", "add", "tvh0", "type", "veth", "peer", "name", "tvh1"])
        self.addCleanup(run, ["ip", "link", "del", "tvh0"], check=False)
        script = "ip -o link | cut -d: -f2; ip -o addr show lo | grep -c 'inet 127.0.0.1'"
        p, out = self.sh("iso-net", script, isolation="strict", rootfs=self.rootfs)
        self.assertEqual([line.strip() for line in out], ["lo", "1"])
        p, out = self.sh("iso-net2", script, isolation="standard", rootfs=self.rootfs,
                         network="none")
        self.assertEqual([line.strip() for line in out], ["lo", "1"])
        # the host's network at standard
        p, out = self.sh("iso-net3", script, isolation="standard", rootfs=self.rootfs)
        self.assertIn("tvh0@tvh1", [line.strip() for line in out])

    def test_rlimits(self):
        for level in ("minimal", "standard", "strict"):
            p, out = self.sh(f"iso-rl-{level}", "ulimit -n; ulimit -Hn; ulimit -c",
                             isolation=level, rlimits={"nofile": 77, "core": 0})
            self.assertEqual(out, ["77", "77", "0"], level)

    def test_capabilities(self):
        script = "grep -E '^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status"
        p, out = self.sh("iso-caps", script, isolation="strict", rootfs=self.rootfs)
        status = dict(re.split(r":\s+", line) for line in out)
        self.assertEqual(status, {"CapPrm": "0" * 16, "CapEff": "0" * 16, "CapBnd": "0" * 16,
                                  "CapAmb": "0" * 16, "NoNewPrivs": "1", "Seccomp": "2"})
        # the spec may keep some
        p, out = self.sh("iso-caps2", script, isolation="strict", rootfs=self.rootfs,
                         capabilities=["CAP_NET_BIND_SERVICE"])
        status = dict(re.split(r":\s+", line) for line in out)
        self.assertEqual(status["CapEff"], f"{1 << 10:016x}")
        # standard: root keeps root's
        p, out = self.sh("iso-caps3", script, isolation="standard", rootfs=self.rootfs)
        status = dict(re.split(r":\s+", line) for line in out)
        self.assertNotEqual(status["CapEff"], "0" * 16)
        self.assertEqual((status["NoNewPrivs"], status["Seccomp"]), ("0", "0"))

    def test_seccomp(self):
        # CAP_SYS_ADMIN kept: only the filter stands in the way of mount and of a new user
        # namespace; other namespaces it lets through
        script = ("unshare -U true; echo rc=$?; mount -t tmpfs none /tmp; echo rc=$?; "
                  "unshare -i true && echo unshare-i")
        p, out = self.sh("iso-seccomp", script, isolation="strict", rootfs=self.rootfs,
                         capabilities=["CAP_SYS_ADMIN"])
        self.assertIn(EPERM, out[0])
        self.assertEqual(out[1], "rc=1")
        self.assertIn("permission denied", out[2])
        self.assertEqual(out[3:], ["rc=1", "unshare-i"])
        # without the filter, both work
        p, out = self.sh("iso-seccomp2", "unshare -U true && echo user; "
                         "mount -t tmpfs none /tmp && echo mounted", isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual(out, ["user", "mounted"])

    def test_masked_proc(self):
        # the masked files this kernel has, of which timer_list is never empty
        masked = [path for path in ("/proc/kcore", "/proc/keys", "/proc/timer_list",
                                    "/proc/sched_debug", "/proc/latency_stats")
                  if os.path.exists(path)]
        self.assertIn("/proc/timer_list", masked)
        script = (f"for f in {' '.join(masked)}; do wc -c < $f; done; "
                  "ls -A /sys/firmware | wc -l; "
                  "grep -E ' /proc/(sys|sysrq-trigger|irq|bus) ' /proc/self/mountinfo | "
                  "cut -d' ' -f5,6")
        p, out = self.sh("iso-mask", script, isolation="strict", rootfs=self.rootfs)
        n = len(masked) + 1
        self.assertEqual([o.strip() for o in out[:n]], ["0"] * n)
        read_only = {line.split()[0]: line.split()[1].split(",")[0] for line in out[n:]}
        self.assertEqual(read_only, {path: "ro" for path in ("/proc/sys", "/proc/sysrq-trigger",
                                                             "/proc/irq", "/proc/bus")
                                     if os.path.exists(path)})
        self.assertIn("/proc/sys", read_only)
        # standard masks nothing
        p, out = self.sh("iso-mask2", "wc -c < /proc/timer_list", isolation="standard",
                         rootfs=self.rootfs)
        self.assertNotEqual(out[0].strip(), "0")

    def test_init_reaps_zombies(self):
        # an orphan that exits, and PID 1 execs a sleep that never waits: the init reaps it;
        # without init, the sleep is PID 1 and nothing does
        script = (f"(sleep 0.2 &); (sleep 1; ps -o stat,comm | grep -c '^Z'; echo {END}) & "
                  "exec sleep 2")
        p, out = self.sh("iso-zombie", script, end=False, isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual(out, ["0"])
        p, out = self.sh("iso-zombie2", script, end=False, isolation="standard",
                         rootfs=self.rootfs, init=False)
        self.assertGreaterEqual(int(out[0]), 1)

    def test_init_exit_status(self):
        # the command's status, not init's
        p, out = self.sh("iso-exit", f"echo {END}; exit 7", end=False, isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual((p["State"], p["ExitCode"]), ("exited", 7))
        self.create("iso-sig", ["/bin/sh", "-c", "kill -USR2 $$"], isolation="standard",
                    rootfs=self.rootfs)
        self.tender.start("iso-sig")
        p = self.tender.wait_state("iso-sig", "failed")
        self.assertEqual((p["Reason"], p["ExitSignal"]), ("signal: USR2", signal.SIGUSR2))
        # a signal sent to PID 1 from inside reaches the command
        p, out = self.sh("iso-fwd", f"trap 'echo got-term; echo {END}; exit 3' TERM; "
                         "kill -TERM 1; sleep 5 & wait", end=False, isolation="standard",
                         rootfs=self.rootfs)
        self.assertEqual((p["ExitCode"], out), (3, ["got-term"]))

    def test_setup_failure(self):
        # a file volume over a directory: the start fails, saying why
        name = self.workload("iso-fail")
        self.create(name, ["/bin/true"], isolation="standard",
                    volumes=[("/etc/hostname", "/usr", False)])
        e = self.assertDBusError("Failed", self.tender.start, name)
        self.assertEqual(e.message, "standard: volume /etc/hostname on /usr: Is a directory")
        p = self.tender.props(name)
        self.assertEqual((p["State"], p["Reason"]),
                         ("failed", "standard: volume /etc/hostname on /usr: Is a directory"))
        # a working directory that is not there inside
        self.create("iso-fail2", ["/bin/true"], isolation="strict", rootfs=self.rootfs,
                    working_directory="/nowhere")
        e = self.assertDBusError("Failed", self.tender.start, "iso-fail2")
        self.assertEqual(e.message, "strict: working directory /nowhere: No such file or "
                                    "directory")

    def test_bad_specs(self):
        self.assertDBusError("InvalidArgument", self.create, "iso-bad", ["/bin/true"],
                             isolation="standard", volumes=[("/nonexistent", "/x", False)])
        self.assertDBusError("InvalidArgument", self.create, "iso-bad2", ["/bin/true"],
                             isolation="standard", rootfs="/nonexistent")

    def test_memory_limit_and_oom_in_strict(self):
        name = "iso-hungry"
        self.create(name, ["/usr/bin/python3", "-c",
                           "x = b'a' * (512 << 20); import time; time.sleep(60)"],
                    isolation="strict", memory_max=32 << 20)
        self.tender.start(name)
        p = self.tender.wait_state(name, ("failed", "exited"), timeout=60)
        self.assertEqual((p["State"], p["Reason"], p["OOMKilled"], p["ExitSignal"]),
                         ("failed", "oom-kill", True, signal.SIGKILL))


class ImageStoreMixin:
    """The image store and the container directories on tmpfs (the lab's root is an overlay,
    which cannot hold an overlay's upper layer), with busybox images in it."""

    IMAGES = {"iso-bb": "tar", "iso-oci": "oci"}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tender-test-iso-images.")
        cls.tar = images.busybox_tar(os.path.join(cls.tmp, "busybox.tar"))
        cls.oci = images.busybox_oci(os.path.join(cls.tmp, "busybox-oci.tar"))
        for d in ("images", "containers"):
            os.makedirs(f"{STATE}/{d}", exist_ok=True)
            run(["mount", "-t", "tmpfs", "-o", "mode=0700", f"tender-test-{d}", f"{STATE}/{d}"])
        # the store is read when tenderd starts
        cls.restart_tenderd()
        for name, kind in cls.IMAGES.items():
            images.import_image(name, getattr(cls, kind))

    @classmethod
    def tearDownClass(cls):
        run(["systemctl", "stop", "tenderd.service"])
        for d in ("images", "containers"):
            run(["umount", f"{STATE}/{d}"])
        cls.restart_tenderd()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def restart_tenderd():
        # restarted more often than systemd's start limit allows, by the tests of a run
        run(["systemctl", "reset-failed", "tenderd.service"], check=False)
        run(["systemctl", "restart", "tenderd.service"])
        assert wait_for(lambda: run(["busctl", "call", "org.tender.Agent1", "/org/tender/Agent1",
                                     "org.tender.Agent1.Manager", "ListImages"],
                                    check=False).returncode == 0, timeout=30)


class IsolationImageTest(ImageStoreMixin, IsolationCase):
    """Image roots."""

    def container_dir(self, name):
        return f"{STATE}/containers/{name}"

    def test_changes_survive_stop_start_and_go_on_remove(self):
        name = "iso-img"
        script = "cat /etc/motd || echo none; echo changed > /etc/motd"
        p, out = self.sh(name, script, isolation="standard", image="iso-bb")
        self.assertExited(p)
        self.assertEqual(out[-1], "none")
        # the change is in the upper layer, not in the image
        upper = f"{self.container_dir(name)}/upper"
        with open(f"{upper}/etc/motd") as f:
            self.assertEqual(f.read(), "changed\n")
        self.assertFalse(os.path.exists(f"{STATE}/images/iso-bb/rootfs/etc/motd"))
        self.assertEqual(os.stat(self.container_dir(name)).st_mode & 0o7777, 0o700)
        # the next start sees it
        p, out = self.start_and_wait(name, run=2)
        self.assertEqual(out, ["changed"])
        # RemoveWorkload deletes it; the same name starts afresh
        self.tender.remove(name)
        self.assertTrue(wait_for(lambda: os.listdir(f"{STATE}/containers") == []),
                        os.listdir(f"{STATE}/containers"))
        self.create(name, ["/bin/sh", "-c", f"exec 2>&1; cat /etc/motd || echo none; "
                                            f"echo {END}"], isolation="standard", image="iso-bb")
        p, out = self.start_and_wait(name, run=3)
        self.assertEqual(out[-1], "none")

    def test_strict_image(self):
        script = ("touch /etc/x; touch /tmp/t && echo tmp; id -u; hostname; "
                  "ip -o link | cut -d: -f2")
        p, out = self.sh("iso-img-strict", script, isolation="strict", image="iso-bb")
        self.assertExited(p)
        self.assertIn(EROFS, out[0])
        self.assertEqual([line.strip() for line in out[1:]],
                         ["tmp", "0", "iso-img-strict", "lo"])
        # nothing of it in the upper layer but the mount points
        upper = f"{self.container_dir('iso-img-strict')}/upper"
        self.assertFalse(os.path.exists(f"{upper}/etc/x"))
        self.assertFalse(os.path.exists(f"{upper}/tmp/t"))

    def test_image_config(self):
        # the OCI image: Entrypoint sh -c, then the spec's argv (instead of the Cmd); its Env
        # under the spec's; its WorkingDir; its layers
        name = "iso-img-config"
        self.create(name, [f"exec 2>&1; echo $IMAGE $MODE; pwd; cat /{images.LAYER2_FILE}; "
                           f"ls /{images.LAYER1_ONLY}; echo {END}"],
                    isolation="standard", image="iso-oci", env=["MODE=spec"])
        p, out = self.start_and_wait(name)
        self.assertExited(p)
        self.assertEqual(out[0], "busybox spec")
        self.assertEqual(out[1:3], [images.CONFIG["WorkingDir"], "added by the second layer"])
        self.assertIn("No such file", out[3])

    def test_image_user_for_exec(self):
        """An image's User runs the workload's command and its exec alike, when the spec has
        no user."""
        path = images.busybox_oci(os.path.join(self.tmp, "nobody-oci.tar"),
                                  config=dict(images.CONFIG, User="nobody"))
        images.import_image("iso-nobody", path)
        self.addCleanup(self.tender.call, "RemoveImage", "sa{sv}", "iso-nobody",
                        {"force": GLib.Variant("b", True)})
        name = self.workload("iso-img-user")
        self.create(name, ["sleep 600"], isolation="standard", image="iso-nobody")
        self.tender.start(name)
        pid = self.tender.wait_state(name, "running")["MainPID"]
        with open(f"/proc/{pid}/status") as f:
            uid = [line.split()[1] for line in f if line.startswith("Uid:")][0]
        self.assertEqual(uid, "65534")
        r = run([TENDERCTL, "exec", name, "--", "/bin/sh", "-c", "id -u; echo $HOME"],
                check=False)
        self.assertEqual((r.returncode, r.stdout.split()), (0, ["65534", "/nonexistent"]),
                         r.stderr)

    def test_upper_layer_on_an_overlay(self):
        # the lab's own root is an overlay: there, the start fails and says why
        name = self.workload("iso-img-overlay")
        run(["umount", f"{STATE}/containers"])
        try:
            self.create(name, ["/bin/true"], isolation="standard", image="iso-bb")
            e = self.assertDBusError("Failed", self.tender.start, name)
            self.tender.remove(name)
            self.assertTrue(wait_for(lambda: not os.path.exists(self.container_dir(name))))
        finally:
            run(["mount", "-t", "tmpfs", "-o", "mode=0700", "tender-test-containers",
                 f"{STATE}/containers"])
        self.assertEqual(e.message, f"standard: mount overlay on /: Invalid argument "
                                    f"({self.container_dir(name)}/upper is on an overlay, "
                                    f"which cannot hold an upper layer)")

    def test_unknown_image(self):
        e = self.assertDBusError("InvalidArgument", self.create, "iso-img-none", ["/bin/true"],
                                 isolation="standard", image="iso-nothing")
        self.assertIn("iso-nothing", e.message)


class IsolationAdoptionTest(IsolationCase):
    def test_kill9_tenderd_then_adopt(self):
        name = "iso-adopt"
        self.create(name, ["/bin/sh", "-c", "trap 'exit 5' TERM; while :; do sleep 1; done"],
                    isolation="strict", rootfs=self.rootfs)
        self.tender.start(name)
        before = self.tender.props(name)
        old = self.tenderd_pid
        os.kill(old, signal.SIGKILL)
        self.assertTrue(wait_for(lambda: tenderd_pid() not in (0, old), timeout=30))
        self.assertTrue(wait_for(lambda: run(["systemctl", "is-active", "tenderd.service"],
                                             check=False).stdout.strip() == "active",
                                 timeout=30))
        self.tenderd_pid = tenderd_pid()
        after = self.tender.props(name)
        self.assertEqual((after["State"], after["MainPID"]), ("running", before["MainPID"]))
        # exec still finds its namespaces and root
        r = run([TENDERCTL, "exec", name, "--", "/bin/sh", "-c",
                 "hostname; cat /proc/1/comm; ls /etc"], check=False)
        self.assertEqual((r.returncode, r.stdout.split()), (0, [name, "tender-init", "group",
                                                                "hostname", "hosts", "passwd",
                                                                "resolv.conf"]), r.stderr)
        # and is as confined as the workload's own command: no capability, no_new_privs, the
        # seccomp filter (a new user namespace refused with EPERM)
        r = run([TENDERCTL, "exec", name, "--", "/bin/sh", "-c",
                 "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status; "
                 "unshare -U true; echo rc=$?"], check=False)
        lines = r.stdout.splitlines()
        status = dict(re.split(r":\s+", line) for line in lines[:4])
        self.assertEqual(status, {"CapEff": "0" * 16, "CapBnd": "0" * 16, "NoNewPrivs": "1",
                                  "Seccomp": "2"}, r.stdout + r.stderr)
        self.assertIn(EPERM, r.stderr)
        self.assertEqual(lines[-1], "rc=1")
        self.tender.stop(name, timeout_sec=5)
        p = self.tender.wait_state(name, "stopped")
        self.assertEqual(p["ExitCode"], 5)


class IsolationCliTest(ImageStoreMixin, IsolationCase):
    """Seed 001's verbs, through tenderctl, on an isolated workload."""

    def ctl(self, *args):
        r = run([TENDERCTL, *args], check=False)
        self.assertEqual(r.returncode, 0, f"tenderctl {' '.join(args)}: {r.stderr}")
        return r.stdout

    def test_seed_verbs(self):
        import json
        data = tempfile.mkdtemp(prefix="tender-test-cli.")
        self.addCleanup(shutil.rmtree, data, True)
        with open(os.path.join(data, "note"), "w") as f:
            f.write("from-host\n")
        name = self.workload("cli-box")
        self.workload("cli-copy")
        self.ctl("create", name, "--isolation", "strict", "--image", "iso-bb",
                 "--volume", f"{data}:/data:ro", "--network", "none", "--hostname", "cli",
                 "--rlimit", "nofile=128", "--read-only", "--init", "--memory", "64M",
                 "--", "/bin/sh", "-c", "cat /data/note; hostname; ulimit -n; sleep 600")
        self.ctl("start", name)
        self.assertRegex(self.ctl("list"), rf"(?m)^{name}\s+running\s")
        inspect = self.ctl("inspect", name)
        for line in (r"isolation\s+strict", r"image\s+iso-bb", r"network\s+none",
                     r"hostname\s+cli"):
            self.assertRegex(inspect, line)
        self.assertTrue(wait_for(lambda: self.ctl("logs", name).split() ==
                                 ["from-host", "cli", "128"], timeout=15),
                        self.ctl("logs", name))
        stats = json.loads(self.ctl("--json", "stats", name))
        rows = stats if isinstance(stats, list) else [stats]
        self.assertEqual([(r["Name"], r["memory_max"]) for r in rows], [(name, 64 << 20)])
        exported = self.ctl("export", name)
        spec = json.loads(exported)["spec"]
        self.assertEqual((spec["isolation"], spec["image"], spec["network"], spec["hostname"]),
                         ("strict", "iso-bb", "none", "cli"))
        self.assertEqual(spec["volumes"], [{"source": data, "destination": "/data",
                                            "read_only": True}])
        self.ctl("stop", name)
        self.assertEqual(self.tender.wait_state(name, "stopped")["State"], "stopped")
        self.ctl("remove", name)
        path = os.path.join(data, "export.json")
        with open(path, "w") as f:
            f.write(exported)
        self.ctl("import", path, "--name", "cli-copy")
        self.ctl("start", "cli-copy")
        self.assertTrue(wait_for(lambda: self.ctl("logs", "cli-copy").split() ==
                                 ["from-host", "cli", "128"], timeout=15))


class IsolationReadmeTest(ImageStoreMixin, IsolationCase):
    # the README imports busybox itself
    IMAGES = {}

    def test_readme_examples(self):
        """The README's isolation examples, as they stand there."""
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("## Isolation", 1)[1].split("\n## ", 1)[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -e\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        for name in ("sandbox", "box", "notes", "tool", "probe"):
            self.workload(name)
        self.addCleanup(self.tender.call, "RemoveImage", "sa{sv}", "busybox",
                        {"force": GLib.Variant("b", True)})
        self.addCleanup(shutil.rmtree, "/srv/box-data", True)
        for made in ("data", "etc/host-release"):
            self.addCleanup(lambda p=os.path.join(self.rootfs, made): os.path.isdir(p) and
                            shutil.rmtree(p) or os.path.isfile(p) and os.unlink(p))
        env = dict(os.environ, PATH=os.path.dirname(TENDERCTL) + ":" + os.environ["PATH"],
                   ROOTFS=self.rootfs)
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                             timeout=120, env=env, cwd=self.tmp)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        # the notes survived the stop and the start
        self.assertEqual(len(re.findall(r"^\w{3} \w{3} ", out.stdout, re.M)), 2, out.stdout)


if __name__ == "__main__":
    unittest.main()
