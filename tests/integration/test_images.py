#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The image store: ImportImage with a descriptor over D-Bus, POST /v1/images streaming its
body, tenderctl image import from a file and from standard input; every archive format; list,
inspect (busctl), remove; archives refused with nothing left behind; max-size; polkit; the
README's examples.  The store is a tmpfs here (/var/lib/tender/images, as on a host whose
images are on a file system overlayfs takes as a lower layer)."""

import gzip
import hashlib
import io
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402
from tenderlab import DBusError, TenderTestCase, run, wait_for  # noqa: E402

from gi.repository import Gio, GLib  # noqa: E402

STORE = "/var/lib/tender/images"
CONF = "/etc/tender/tenderd.conf"
SOCKET = "/run/tender/http.sock"
IMAGE_IFACE = "org.tender.Agent1.Image"
TENDERCTL = os.environ.get("TENDERCTL") or shutil.which("tenderctl") or "tenderctl"
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
USER = "tenderimguser"


def restart_tenderd():
    run(["systemctl", "restart", "tenderd.service"])
    bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    assert wait_for(lambda: bus.call_sync("org.tender.Agent1", "/org/tender/Agent1",
                                          "org.tender.Agent1.Manager", "ListImages", None,
                                          None, Gio.DBusCallFlags.NONE, 5000, None)
                    is not None, timeout=30)


CONTAINERS = "/var/lib/tender/containers"


def mount_store():
    """A tmpfs on the store, which tenderd opens when it starts, and one on the containers'
    directory, where the upper layers of image roots go (an overlay's upper layer cannot sit
    on the lab's overlay root)."""
    for path, name in ((STORE, "tender-test-images"), (CONTAINERS, "tender-test-containers")):
        os.makedirs(path, exist_ok=True)
        run(["mount", "-t", "tmpfs", "-o", "mode=0700", name, path])
    restart_tenderd()


def unmount_store():
    run(["systemctl", "stop", "tenderd.service"])
    run(["umount", STORE])
    run(["umount", CONTAINERS])
    run(["systemctl", "start", "tenderd.service"])
    restart_tenderd()


def sha256(path):
    with open(path, "rb") as f:
        return "sha256:" + hashlib.sha256(f.read()).hexdigest()


def dbus_error(e):
    name = Gio.DBusError.get_remote_error(e)
    Gio.DBusError.strip_remote_error(e)
    return DBusError(name, e.message)


def upload(archive, query):
    """(status, body) of POST /v1/images@query with @archive as the body."""
    return curl("-X", "POST", "--data-binary", f"@{archive}", f"http://localhost/v1/images{query}")


def curl(*args, data=None):
    """(status, body) of curl on the unix socket; @args after the method."""
    out = subprocess.run(["curl", "-s", "-S", "--max-time", "120", "-o", "-", "-w",
                          "\n%{http_code}", "--unix-socket", SOCKET, *args],
                         input=data, capture_output=True, timeout=180)
    assert out.returncode == 0, out.stderr
    body, _, status = out.stdout.decode().rpartition("\n")
    return int(status), body


class ImageTestCase(TenderTestCase):
    """A tmpfs store for the class; each test removes the images it named."""

    @classmethod
    def setUpClass(cls):
        mount_store()
        cls.tmp = tempfile.mkdtemp(prefix="tender-test-images.")
        cls.tar = images.busybox_tar(os.path.join(cls.tmp, "busybox.tar"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        unmount_store()

    def setUp(self):
        super().setUp()
        self.images = []
        self.bus = self.tender.bus

    def tearDown(self):
        for name in self.images:
            try:
                self.tender.call("RemoveImage", "sa{sv}", name,
                                 {"force": GLib.Variant("b", True)})
            except DBusError as e:
                self.assertEqual(e.name, "org.tender.Agent1.Error.NotFound", e.message)
        super().tearDown()

    def image(self, name):
        self.images.append(name)
        return name

    def import_(self, name, path, **options):
        try:
            return images.import_image(self.image(name), path, bus=self.bus, **options)
        except GLib.Error as e:
            raise dbus_error(e) from None

    def props(self, path):
        return self.tender.call("GetAll", "s", IMAGE_IFACE, path=path,
                                iface="org.freedesktop.DBus.Properties")[0]

    def listing(self):
        """What the store's directory holds: the images, and nothing half made."""
        return sorted(os.listdir(STORE))

    def rootfs(self, name, *rel):
        return os.path.join(STORE, name, "rootfs", *rel)

    def assertHttpError(self, response, status, name):
        self.assertEqual(response[0], status, response[1])
        self.assertEqual(json.loads(response[1])["error"]["name"],
                         f"org.tender.Agent1.Error.{name}")
        return json.loads(response[1])["error"]["message"]

    def assertNothingLeft(self, *names):
        self.assertTrue(wait_for(lambda: self.listing() == sorted(names)), self.listing())


class ImageImportTest(ImageTestCase):
    def test_import_over_dbus(self):
        path = self.import_("busybox", self.tar)
        self.assertEqual(path, "/org/tender/Agent1/image/busybox")
        props = self.props(path)
        self.assertEqual(props["Name"], "busybox")
        self.assertEqual(props["Digest"], sha256(self.tar))
        self.assertEqual(props["Source"], "tar")
        self.assertEqual(props["Config"], {})
        self.assertGreater(props["Size"], os.path.getsize(images.BUSYBOX))
        self.assertRegex(props["CreatedAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        # the root file system, with busybox and its links, owned by root
        st = os.lstat(self.rootfs("busybox", "bin", "busybox"))
        self.assertEqual((st.st_uid, st.st_mode & 0o7777), (0, 0o755))
        self.assertEqual(os.readlink(self.rootfs("busybox", "bin", "sh")), "/bin/busybox")
        out = run(["chroot", self.rootfs("busybox"), "/bin/sh", "-c", "echo $((6 * 7))"])
        self.assertEqual(out.stdout, "42\n")
        listed = self.tender.call("ListImages", "")[0]
        self.assertIn(("busybox", props["Size"], props["Digest"], "tar", props["CreatedAt"],
                       path), listed)
        self.assertEqual(self.listing(), ["busybox"])
        with open(os.path.join(STORE, "busybox", "image.json")) as f:
            self.assertEqual(json.load(f)["digest"], props["Digest"])
        # busctl, as the README shows it
        out = run(["busctl", "--system", "get-property", "org.tender.Agent1", path,
                   IMAGE_IFACE, "Digest"]).stdout
        self.assertEqual(out, f's "{props["Digest"]}"\n')

    def test_formats(self):
        for compression in ("gz", "xz", "zst"):
            with self.subTest(compression=compression):
                archive = images.busybox_tar(os.path.join(self.tmp, f"bb.tar.{compression}"),
                                             compression)
                props = self.props(self.import_(f"bb-{compression}", archive))
                self.assertEqual((props["Source"], props["Digest"]), ("tar", sha256(archive)))
                self.assertTrue(os.path.exists(self.rootfs(f"bb-{compression}", "bin", "ls")))
        for name, make, source in (("oci", images.busybox_oci, "oci"),
                                   ("docker", images.docker_save, "docker-archive")):
            with self.subTest(format=source):
                archive = make(os.path.join(self.tmp, f"{name}.tar"))
                props = self.props(self.import_(name, archive))
                self.assertEqual(props["Source"], source)
                self.assertEqual(props["Digest"], sha256(archive))
                self.assertEqual(props["Config"], images.CONFIG_DBUS)
                self.assertFalse(os.path.lexists(self.rootfs(name, images.LAYER1_ONLY)))
                self.assertEqual(os.listdir(self.rootfs(name, images.OPAQUE_DIR)), ["new"])
                self.assertTrue(os.path.exists(self.rootfs(name, images.LAYER2_FILE)))
                self.assertTrue(os.path.exists(self.rootfs(name, "bin", "busybox")))
        self.assertEqual(self.listing(), ["bb-gz", "bb-xz", "bb-zst", "docker", "oci"])

    def test_directory_is_roots(self):
        tree = images.busybox_rootfs(os.path.join(self.tmp, "tree"))
        props = self.props(self.import_("tree", tree, directory=True))
        self.assertEqual(props["Source"], "directory")
        self.assertEqual(os.readlink(self.rootfs("tree", "bin", "sh")), "/bin/busybox")

    def test_names_and_replace(self):
        self.import_("dup", self.tar)
        first = self.props("/org/tender/Agent1/image/dup")["Digest"]
        with self.assertRaises(DBusError) as ctx:
            self.import_("dup", self.tar)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.AlreadyExists")
        other = images.busybox_tar(os.path.join(self.tmp, "other.tar.gz"), "gz")
        self.import_("dup", other, replace=True)
        self.assertNotEqual(self.props("/org/tender/Agent1/image/dup")["Digest"], first)
        for bad in ("Busybox", "-x", "a/b", ""):
            with self.subTest(name=bad):
                with self.assertRaises(DBusError) as ctx:
                    self.import_(bad, self.tar)
                self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")
        with self.assertRaises(DBusError) as ctx:
            self.import_("opt", self.tar, colour=True)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")
        self.assertNothingLeft("dup")
        # a tenderd that starts again finds the image as it was
        restart_tenderd()
        self.tenderd_pid = int(run(["systemctl", "show", "-P", "MainPID",
                                    "tenderd.service"]).stdout)
        self.assertEqual(self.props("/org/tender/Agent1/image/dup")["Name"], "dup")

    def test_import_needs_a_descriptor(self):
        with self.assertRaises(DBusError) as ctx:
            self.tender.call("ImportImage", "sha{sv}", "nofd", 0, {})
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")

    def test_remove(self):
        path = self.import_("gone", self.tar)
        self.tender.call("RemoveImage", "sa{sv}", "gone", {})
        self.assertNothingLeft()
        with self.assertRaises(DBusError) as ctx:
            self.props(path)
        self.assertIn(ctx.exception.name, ("org.freedesktop.DBus.Error.UnknownObject",
                                           "org.freedesktop.DBus.Error.UnknownMethod"))
        for options in ({}, {"force": GLib.Variant("b", True)}):
            with self.assertRaises(DBusError) as ctx:
                self.tender.call("RemoveImage", "sa{sv}", "gone", options)
            self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.NotFound")
        with self.assertRaises(DBusError) as ctx:
            self.tender.call("RemoveImage", "sa{sv}", "gone", {"force": GLib.Variant("s", "y")})
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.InvalidArgument")

    def tmp_dirs(self):
        return [n for n in self.listing() if n.startswith(".tmp-")]

    def test_interrupted_import_leaves_nothing(self):
        with open(self.tar, "rb") as f:
            data = f.read()
        # an HTTP client that goes away in the middle of its archive: the import is cancelled
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(SOCKET)
        s.sendall(f"POST /v1/images?name=halfway HTTP/1.1\r\nHost: localhost\r\n"
                  f"Content-Length: {len(data)}\r\n\r\n".encode() + data[:len(data) // 2])
        self.assertTrue(wait_for(lambda: self.tmp_dirs() != []), "no import under way")
        s.close()
        self.assertNothingLeft()
        # a tenderd killed in the middle of an import: the next one removes what it left
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        importer = subprocess.Popen(
            [sys.executable, "-c", "import sys, images\n"
             "try:\n    images.import_image('killed', sys.argv[1])\nexcept Exception:\n"
             "    pass\n", fifo], cwd=os.path.dirname(os.path.abspath(__file__)))
        with open(fifo, "wb") as w:
            w.write(data[:len(data) // 2])
            w.flush()
            self.assertTrue(wait_for(lambda: self.tmp_dirs() != []), "no import under way")
            run(["systemctl", "kill", "-s", "KILL", "tenderd.service"])
            self.assertTrue(wait_for(lambda: run(["systemctl", "show", "-P", "MainPID",
                                                  "tenderd.service"]).stdout.strip()
                                     not in ("0", str(self.tenderd_pid)), timeout=30))
            importer.wait(timeout=30)
        restart_tenderd()
        self.tenderd_pid = int(run(["systemctl", "show", "-P", "MainPID",
                                    "tenderd.service"]).stdout)
        self.assertEqual(self.listing(), [])
        self.assertEqual(self.tender.call("ListImages", "")[0], [])

    def test_remove_refused_while_used(self):
        self.import_("used", self.tar)
        name = self.workload("uses-image")
        spec = {"argv": GLib.Variant("as", ["/bin/sleep", "300"]),
                "isolation": GLib.Variant("s", "standard"),
                "image": GLib.Variant("s", "used")}
        try:
            self.tender.create_raw(name, spec)
        except DBusError as e:
            if e.name == "org.tender.Agent1.Error.NotSupported":
                self.skipTest(f"the scope runtime does not run images yet: {e.message}")
            raise
        force = {"force": GLib.Variant("b", True)}
        # a workload uses it: Busy, over D-Bus and HTTP; with force, only while none runs
        e = self.assertDBusError("Busy", self.tender.call, "RemoveImage", "sa{sv}", "used", {})
        self.assertIn("used by a workload", e.message)
        self.assertHttpError(curl("-X", "DELETE", "http://localhost/v1/images/used"), 409,
                             "Busy")
        self.tender.start(name)
        e = self.assertDBusError("Busy", self.tender.call, "RemoveImage", "sa{sv}", "used", force)
        self.assertIn("running", e.message)
        # nor may another image take its place while it is in use
        e = self.assertDBusError("Busy", self.import_, "used", self.tar, replace=True)
        self.tender.stop(name, timeout_sec=5)
        self.assertEqual(self.listing(), ["used"])
        self.tender.call("RemoveImage", "sa{sv}", "used", force)
        self.assertNothingLeft()


def evil_tar(path, entries):
    """A tar file of (name, kind, data): kind "file", "symlink" or "hardlink" (data is the
    target), "chr"."""
    with tarfile.open(path, "w") as tar:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                continue
            info.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "chr": tarfile.CHRTYPE}[kind]
            info.linkname = data or ""
            tar.addfile(info)
    return path


class ImageRefusedTest(ImageTestCase):
    """Archives that would write outside the image, or more than it may hold, are refused
    and leave nothing behind: not in the store, not where they aimed."""

    def assertRefused(self, archive, error, words):
        with self.assertRaises(DBusError) as ctx:
            self.import_("bad", archive)
        self.assertEqual(ctx.exception.name, f"org.tender.Agent1.Error.{error}",
                         ctx.exception.message)
        self.assertIn(words, ctx.exception.message)
        self.assertNothingLeft()

    def test_refused(self):
        t = self.tmp
        target = os.path.join(t, "escaped")
        cases = [
            (evil_tar(f"{t}/up.tar", [("ok", "file", b"x"), ("../../../../x", "file", b"x")]),
             "path traversal"),
            (evil_tar(f"{t}/abs.tar", [(target, "file", b"x")]), "absolute path"),
            (evil_tar(f"{t}/sym.tar", [("link", "symlink", t), ("link/escaped", "file", b"x")]),
             "symbolic link"),
            (evil_tar(f"{t}/rel.tar", [("up", "symlink", "../../../../../.."),
                                       ("up/tmp/x", "file", b"x")]),
             "outside the image"),
            (evil_tar(f"{t}/hard.tar", [("h", "hardlink", "../../../../etc/shadow")]),
             "path traversal"),
            (evil_tar(f"{t}/dev.tar", [("dev/sda", "chr", None)]), "device node"),
        ]
        for archive, words in cases:
            with self.subTest(archive=os.path.basename(archive)):
                self.assertRefused(archive, "InvalidArgument", words)
                self.assertFalse(os.path.lexists(target))
        with open(self.tar, "rb") as f:
            data = f.read()
        truncated = os.path.join(t, "truncated.tar.gz")
        with open(truncated, "wb") as f:
            f.write(gzip.compress(data)[:len(data) // 4])
        self.assertRefused(truncated, "InvalidArgument", "Not a valid archive")


class ImageLimitTest(ImageTestCase):
    """[images] max-size, over D-Bus and HTTP."""

    @classmethod
    def setUpClass(cls):
        cls.old_conf = open(CONF).read() if os.path.exists(CONF) else None
        os.makedirs(os.path.dirname(CONF), exist_ok=True)
        with open(CONF, "w") as f:
            f.write("[images]\nmax-size=3M\n")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        if cls.old_conf is None:
            os.unlink(CONF)
        else:
            with open(CONF, "w") as f:
                f.write(cls.old_conf)
        super().tearDownClass()

    def test_max_size(self):
        # 1 MiB of xz that unpacks to 8 MiB: refused while it unpacks
        huge = os.path.join(self.tmp, "huge.tar.xz")
        with tarfile.open(huge, "w:xz") as tar:
            info = tarfile.TarInfo("huge")
            info.size = 8 << 20
            tar.addfile(info, open("/dev/zero", "rb"))
        with self.assertRaises(DBusError) as ctx:
            self.import_("huge", huge)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.LimitReached")
        self.assertIn("max-size (3M)", ctx.exception.message)
        self.assertNothingLeft()
        # the busybox tar (2.3 MiB) fits; the same with 2 MiB more past its end does not
        self.import_("fits", self.tar)
        padded = os.path.join(self.tmp, "padded.tar")
        with open(padded, "wb") as f:
            f.write(open(self.tar, "rb").read() + bytes(2 << 20))
        with self.assertRaises(DBusError) as ctx:
            self.import_("padded", padded)
        self.assertEqual(ctx.exception.name, "org.tender.Agent1.Error.LimitReached")
        self.assertIn("The archive is larger", ctx.exception.message)
        # over HTTP: a Content-Length above max-size is refused before the body
        self.assertHttpError(upload(padded, "?name=padded"), 413, "LimitReached")
        self.assertHttpError(upload(huge, "?name=huge"), 413, "LimitReached")
        self.assertNothingLeft("fits")


class ImageHttpTest(ImageTestCase):
    def test_streaming_import(self):
        self.assertGreater(os.path.getsize(self.tar), 2 << 20)  # above the 1 MiB body cap
        self.image("web")
        status, body = curl("-X", "POST", "-H", "Content-Type: application/x-tar",
                            "--data-binary", f"@{self.tar}", "http://localhost/v1/images?name=web")
        self.assertEqual(status, 201, body)
        image = json.loads(body)
        self.assertEqual(image["Name"], "web")
        self.assertEqual(image["Digest"], sha256(self.tar))
        self.assertEqual(image, self.props("/org/tender/Agent1/image/web"))
        status, body = curl("http://localhost/v1/images")
        self.assertEqual(status, 200, body)
        self.assertEqual([(i["name"], i["digest"], i["object_path"]) for i in json.loads(body)],
                         [("web", sha256(self.tar), "/org/tender/Agent1/image/web")])
        status, body = curl("http://localhost/v1/images/web")
        self.assertEqual((status, json.loads(body)), (200, image))
        # the name is taken; replace=1 replaces
        self.assertHttpError(upload(self.tar, "?name=web"), 409, "AlreadyExists")
        status, body = upload(self.tar, "?name=web&replace=1")
        self.assertEqual(status, 201, body)
        junk = os.path.join(self.tmp, "junk")
        with open(junk, "w") as f:
            f.write("not an archive")
        for query in ("", "?name=web&colour=red", "?name=web&devices=maybe", "?name=Web"):
            self.assertHttpError(upload(junk, query), 400, "InvalidArgument")
        # a broken archive: refused, nothing left, and tenderd serves on
        message = self.assertHttpError(upload(junk, "?name=junk"), 400, "InvalidArgument")
        self.assertIn("Not a valid archive", message)
        status, _ = curl("-X", "DELETE", "http://localhost/v1/images/web")
        self.assertEqual(status, 204)
        self.assertHttpError(curl("http://localhost/v1/images/web"), 404, "NotFound")
        self.assertHttpError(curl("-X", "DELETE", "http://localhost/v1/images/web"), 404,
                             "NotFound")
        self.assertNothingLeft()


class ImageTenderctlTest(ImageTestCase):
    def ctl(self, *args, stdin=None, check=True):
        out = subprocess.run([TENDERCTL, *args], stdin=stdin, capture_output=True, text=True,
                             timeout=300)
        if check:
            self.assertEqual(out.returncode, 0, out.stderr)
        return out

    def test_tenderctl(self):
        self.image("fromfile")
        self.image("fromstdin")
        out = self.ctl("image", "import", "fromfile", self.tar)
        self.assertEqual(out.stdout, sha256(self.tar) + "\n")
        gz = images.busybox_tar(os.path.join(self.tmp, "stdin.tar.gz"), "gz")
        with open(gz, "rb") as f:
            out = self.ctl("image", "import", "fromstdin", "-", stdin=f)
        self.assertEqual(out.stdout, sha256(gz) + "\n")
        # and from a pipe, as `docker save | tenderctl image import NAME -` would
        self.image("frompipe")
        oci = images.busybox_oci(os.path.join(self.tmp, "oci.tar"))
        cat = subprocess.Popen(["cat", oci], stdout=subprocess.PIPE)
        out = self.ctl("image", "import", "frompipe", "-", stdin=cat.stdout)
        cat.wait()
        self.assertEqual(out.stdout, sha256(oci) + "\n")
        lines = self.ctl("image", "list").stdout.splitlines()
        self.assertEqual(re.split(r"\s{2,}", lines[0].strip()),
                         ["NAME", "SIZE", "SOURCE", "CREATED", "DIGEST"])
        self.assertEqual([line.split()[0] for line in lines[1:]],
                         ["fromfile", "frompipe", "fromstdin"])
        self.assertIn(sha256(self.tar)[:19], lines[1])
        listed = json.loads(self.ctl("--json", "image", "list").stdout)
        self.assertEqual([(i["Name"], i["Source"]) for i in listed],
                         [("fromfile", "tar"), ("frompipe", "oci"), ("fromstdin", "tar")])
        text = self.ctl("image", "inspect", "frompipe").stdout
        self.assertRegex(text, r"(?m)^ +Name: frompipe$")
        self.assertRegex(text, r"(?m)^ +Source: oci$")
        self.assertRegex(text, rf"(?m)^ +Digest: {sha256(oci)}$")
        self.assertIn("working_directory      /root", text)
        inspected = json.loads(self.ctl("--json", "image", "inspect", "frompipe").stdout)
        self.assertEqual(inspected[0]["Config"], images.CONFIG_DBUS)
        self.ctl("image", "remove", "fromfile", "fromstdin")
        out = self.ctl("image", "remove", "fromfile", check=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("Failed to remove image 'fromfile': No image fromfile", out.stderr)
        out = self.ctl("image", "import", "x", os.path.join(self.tmp, "missing.tar"),
                       check=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("Cannot open", out.stderr)
        for args in (["image"], ["image", "import", "x"], ["image", "list", "x"],
                     ["image", "remove"], ["image", "frobnicate"],
                     ["image", "import", "--force", "x", self.tar]):
            with self.subTest(args=args):
                self.assertEqual(self.ctl(*args, check=False).returncode, 2)
        self.assertNothingLeft("frompipe")


CALLER = r"""
import json, os, sys
import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib
method, name, archive = sys.argv[1:4]
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
path, iface, fds = "/org/tender/Agent1", "org.tender.Agent1.Manager", None
if method == "ImportImage":
    fds = Gio.UnixFDList.new_from_array([os.open(archive, os.O_RDONLY)])
    params = GLib.Variant("(sha{sv})", (name, 0, {}))
elif method == "ListImages":
    params = None
elif method == "RemoveImage":
    params = GLib.Variant("(sa{sv})", (name, {}))
else:
    escaped = "".join(c if c.isalnum() else "_%02x" % ord(c) for c in name)
    path, iface = "/org/tender/Agent1/image/" + escaped, "org.freedesktop.DBus.Properties"
    params = GLib.Variant("(s)", ("org.tender.Agent1.Image",))
try:
    reply = bus.call_with_unix_fd_list_sync("org.tender.Agent1", path, iface, method, params,
                                            None, Gio.DBusCallFlags.NONE, 60000, fds, None)
    print(json.dumps({"reply": reply[0].print_(False) if reply[0] is not None else ""}))
except GLib.Error as e:
    name = Gio.DBusError.get_remote_error(e)
    Gio.DBusError.strip_remote_error(e)
    print(json.dumps({"error": name, "message": e.message}))
"""
# each call over D-Bus, and the HTTP request that mirrors it
HTTP_OF = {
    "ListImages": ("GET", "/v1/images"),
    "GetAll": ("GET", "/v1/images/{name}"),
    "ImportImage": ("POST", "/v1/images?name={name}"),
    "RemoveImage": ("DELETE", "/v1/images/{name}"),
}


class ImagePolkitTest(ImageTestCase):
    """org.tender.images.read and .manage, with the detail "image": a rule that allows one
    image gets the same verdicts over D-Bus and over the HTTP unix socket, and a user allowed
    to read may list and inspect, not import or remove."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if run(["id", "-u", USER], check=False).returncode != 0:
            run(["useradd", "--system", "--no-create-home", USER])
        cls.uid = pwd.getpwnam(USER).pw_uid
        os.chmod(cls.tmp, 0o755)
        os.chmod(cls.tar, 0o644)

    @classmethod
    def tearDownClass(cls):
        run(["userdel", USER], check=False)
        super().tearDownClass()

    def dbus_as_user(self, method, name=""):
        r = subprocess.run([sys.executable, "-c", CALLER, method, name, self.tar],
                           user=self.uid, capture_output=True, text=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        if out.get("error") == "org.tender.Agent1.Error.AccessDenied":
            self.assertRegex(out["message"], r"Not authorized to (inspect|manage) images ")
            return "denied"
        self.assertIn("reply", out, f"{method} {name}: {out}")
        return "allowed"

    def http_as_user(self, method, name=""):
        verb, path = HTTP_OF[method]
        cmd = ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
               "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", verb]
        if verb == "POST":
            cmd += ["--data-binary", f"@{self.tar}"]
        cmd += ["--unix-socket", SOCKET, "http://localhost" + path.format(name=name)]
        status = int(run(cmd).stdout)
        if status == 403:
            return "denied"
        self.assertIn(status, (200, 201, 204), f"{verb} {path}")
        return "allowed"

    def verdict(self, method, name=""):
        """The verdict on @method for @name, the same over D-Bus and HTTP; the image is
        there before each call that needs it, and not before an import."""
        verdicts = []
        for call in (self.dbus_as_user, self.http_as_user):
            if method == "ImportImage":
                self.remove_as_root(name)
            elif name and name not in [i[0] for i in self.tender.call("ListImages", "")[0]]:
                self.import_(name, self.tar)
            verdicts.append(call(method, name))
        self.assertEqual(verdicts[0], verdicts[1], f"{method} {name}: D-Bus and HTTP differ")
        return verdicts[0]

    def remove_as_root(self, name):
        try:
            self.tender.call("RemoveImage", "sa{sv}", name, {})
        except DBusError as e:
            self.assertEqual(e.name, "org.tender.Agent1.Error.NotFound", e.message)

    def add_rule(self, body):
        rules = "/etc/polkit-1/rules.d/10-tender-test-images.rules"
        with open(rules, "w") as f:
            f.write(f"""
polkit.addRule(function(action, subject) {{
    if (action.id.indexOf("org.tender.images.") != 0 || subject.user != "{USER}")
        return polkit.Result.NOT_HANDLED;
    return (function(action) {{ {body} }})(action) ? polkit.Result.YES : polkit.Result.NO;
}});
""")
        self.addCleanup(lambda: self.assertTrue(
            wait_for(lambda: self.dbus_as_user("ListImages") == "denied", timeout=30)))
        self.addCleanup(os.unlink, rules)
        self.assertTrue(wait_for(lambda: self.dbus_as_user("ListImages") == "allowed",
                                 timeout=30), "polkitd never applied the rule")

    def test_read_but_not_manage(self):
        self.image("pk-kept")
        self.image("pk-image")
        # a user outside any session: nothing, by default
        for method in HTTP_OF:
            with self.subTest(method=method):
                self.assertEqual(self.verdict(method, "" if method == "ListImages"
                                              else "pk-kept"), "denied")
        self.add_rule('return action.id == "org.tender.images.read";')
        self.assertEqual(self.verdict("ListImages"), "allowed")
        self.assertEqual(self.verdict("GetAll", "pk-kept"), "allowed")
        self.assertEqual(self.verdict("ImportImage", "pk-image"), "denied")
        self.assertEqual(self.verdict("RemoveImage", "pk-kept"), "denied")
        self.assertEqual(self.listing(), ["pk-kept"])

    def test_image_detail(self):
        for name in ("pk-allowed", "pk-denied"):
            self.image(name)
        self.add_rule('return action.lookup("method") == "ListImages" || '
                      'action.lookup("image") == "pk-allowed";')
        for method in ("GetAll", "ImportImage", "RemoveImage"):
            with self.subTest(method=method):
                self.assertEqual(self.verdict(method, "pk-allowed"), "allowed")
                self.assertEqual(self.verdict(method, "pk-denied"), "denied")


class ImageReadmeTest(ImageTestCase):
    def test_readme_examples(self):
        with open(os.path.join(CHECKOUT, "README.md")) as f:
            readme = f.read()
        section = readme.split("\n## Images\n", 1)[1].split("\n## ", 1)[0]
        commands = re.findall(r"```sh\n(.*?)```", section, re.S)
        script = "set -ex\n" + "\n".join(commands)
        for tool in ("tenderctl", "busctl", "curl"):
            self.assertIn(tool, script)
        images.busybox_tar(os.path.join(self.tmp, "busybox.tar.gz"), "gz")
        self.image("busybox")
        self.image("busybox-http")
        env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(TENDERCTL)) + ":" +
                   os.environ["PATH"])
        out = subprocess.run(["bash", "-c", script], cwd=self.tmp, env=env,
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
